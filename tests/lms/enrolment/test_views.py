"""HR's assignment screen: only HR, a valid form fans out, cancel withdraws, cycles read
as such."""

import pytest
from django.urls import reverse

from lms.enrolment.cycles import compliance_cycles_run
from lms.enrolment.services import assignment_fan_out
from lms.models import Assignment, AssignmentStatus, Enrollment
from org.models import RoleGroup
from org.people import EmploymentType
from tests.factories import UserFactory
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = make_city()
    city["hr"] = UserFactory(groups=[RoleGroup.HR])
    return city


def test_only_hr(client, city):
    client.force_login(city["people"]["madoguchi"][0])
    assert client.get(reverse("lms:assignments")).status_code == 403


def test_assign_then_cancel(client, city, django_capture_on_commit_callbacks):
    client.force_login(city["hr"])
    assert client.get(reverse("lms:assignments")).status_code == 200
    values = dates()
    data = {
        "course": city["course"].pk,
        "fiscal_year": values["fiscal_year"],
        "units": [city["tree"]["soumu"].pk],
        "employment_types": [EmploymentType.REGULAR],
        "opens_on": values["opens_on"].isoformat(),
        "due_on": values["due_on"].isoformat(),
        "mandatory": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lms:assignments"), data)
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.created_by == city["hr"]
    assert Enrollment.objects.filter(assignment=assignment).count() == 4
    page = client.get(reverse("lms:assignments"))
    assert "受講登録の処理：完了" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lms:assignment_cancel", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CANCELLED


def test_bad_dates_change_nothing(client, city):
    client.force_login(city["hr"])
    values = dates()
    response = client.post(
        reverse("lms:assignments"),
        {
            "course": city["course"].pk,
            "fiscal_year": values["fiscal_year"],
            "opens_on": values["due_on"].isoformat(),
            "due_on": values["opens_on"].isoformat(),
        },
    )
    assert response.status_code == 400
    assert not Assignment.objects.exists()


def _form(city, **extra):
    values = dates()
    return {
        "course": city["course"].pk,
        "fiscal_year": values["fiscal_year"],
        "opens_on": values["opens_on"].isoformat(),
        "due_on": values["due_on"].isoformat(),
        "mandatory": "on",
        **extra,
    }


def test_the_form_groups_its_choices_and_offers_every_unit(client, city):
    client.force_login(city["hr"])
    page = client.get(reverse("lms:assignments")).text
    form = page.split('<h2 id="new">')[1]
    # Each checkbox group has its label first, as the legend of its own fieldset.
    assert "<legend>職名</legend>" in form and "<legend>雇用区分</legend>" in form
    assert form.index("<legend>職名</legend>") < form.index('name="positions"')
    # 部, 課 and 係 can be chosen: checkboxes grouped by 部, indented by level.
    units = form.split('<fieldset class="unit-picker"')[1].split("</fieldset>")[0]
    for key in ("soumu", "jinji", "kyuyo_kakari", "madoguchi"):
        assert f'name="units" value="{city["tree"][key].pk}"' in units
    assert "<summary>市民部" in units and "unit-picker__level-3" in units
    # The fiscal year is a select that names the year both ways.
    year = dates()["fiscal_year"]
    assert f'<option value="{year}" selected>令和{year - 2018}年度（{year}年度）</option>' in form


def test_preview_counts_who_the_fan_out_then_enrols(
    client, city, django_capture_on_commit_callbacks
):
    """「対象者を確認する」 shows the count from the fan-out's own selector; nothing is saved
    until 「割り当てる」, and then exactly that many are enrolled."""
    client.force_login(city["hr"])
    rule = _form(
        city,
        units=[city["tree"]["madoguchi"].pk, city["tree"]["jinji"].pk],
        employment_types=[EmploymentType.REGULAR],
    )
    preview = client.post(reverse("lms:assignments"), {**rule, "step": "preview"})
    assert preview.status_code == 200
    assert not Assignment.objects.exists()
    box = preview.text.split('class="card preview"')[1].split("</section>")[0]
    # 人事課: 人事係 1 + 給与係 1 + the 課長; 窓口係: 1 (the fixed-term people are left out).
    assert "4人が受講登録されます" in box
    assert "人事課" in box and "窓口係" in box
    assert 'value="assign"' in preview.text
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("lms:assignments"), {**rule, "step": "assign"})
    assert done.status_code == 302
    assert Enrollment.objects.filter(assignment=Assignment.objects.get()).count() == 4
    # Again for the same course and year: those already enrolled are not counted twice.
    again = client.post(
        reverse("lms:assignments"),
        {**_form(city, units=[city["tree"]["shimin_bu"].pk]), "step": "preview"},
    )
    assert "1人が受講登録されます" in again.text  # the fixed-term person of 窓口係
    assert "1人はこの年度にすでに受講登録されています" in again.text


def test_the_list_reads_newest_year_first_with_clear_states(client, city):
    from lms.enrolment.services import assignment_create

    year = dates()["fiscal_year"]
    for offset in (1, 3, 2, 0):  # created in this order, like the demo's history
        assignment_create(course=city["course"], enqueue=False, **dates(year - offset))
    old = Assignment.objects.get(fiscal_year=year - 3)
    Assignment.objects.filter(pk=old.pk).update(status=AssignmentStatus.CANCELLED)
    client.force_login(city["hr"])
    page = client.get(reverse("lms:assignments")).text
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    order = [table.index(f"（{y}年度）") for y in (year, year - 1, year - 2, year - 3)]
    assert order == sorted(order)
    assert "新しい年度順" in page
    assert "受講登録の処理：待機中" in table and "完了 (100%)" not in table
    assert ">有効<" in table and ">中止<" in table and "在職" not in table
    # Cancelling is a danger button that leads to a confirmation first.
    assert 'class="button button--danger"' in table
    confirm = client.get(reverse("lms:assignment_cancel", args=[city_assignment(year)]))
    assert confirm.status_code == 200
    assert "割り当てを中止しますか" in confirm.text
    assert 'method="post"' in confirm.text and "button--danger" in confirm.text
    assert Assignment.objects.get(fiscal_year=year).status == AssignmentStatus.ACTIVE


def city_assignment(year):
    return Assignment.objects.get(fiscal_year=year).pk


def test_a_yearly_assignment_with_relative_due_dates(
    client, city, django_capture_on_commit_callbacks
):
    client.force_login(city["hr"])
    page = client.get(reverse("lms:assignments"))
    assert "毎年度" in page.text and "途中から対象になった職員の期限" in page.text
    values = dates()
    data = {
        "course": city["course"].pk,
        "fiscal_year": values["fiscal_year"],
        "opens_on": values["opens_on"].isoformat(),
        "due_on": values["due_on"].isoformat(),
        "mandatory": "on",
        "recurrence": "fiscal_year",
        "due_rule": "after_joining",
        "due_days": "30",
        "renewal_window_days": "60",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lms:assignments"), data)
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.recurrence, assignment.due_rule, assignment.due_days) == (
        "fiscal_year",
        "after_joining",
        30,
    )
    assert assignment.renewal_window_days == 60
    page = client.get(reverse("lms:assignments"))
    assert "毎年度" in page.text
    assert "入庁日から30日" in page.text
    assert "有効期限の60日前に再受講" in page.text


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"due_rule": "after_unit_move"}, "due_days"),
        ({"recurrence": "months"}, "recurrence_months"),
        ({"recurrence": "months", "recurrence_months": "5"}, "recurrence_months"),
    ],
)
def test_incomplete_rules_are_refused(client, city, extra, field):
    client.force_login(city["hr"])
    values = dates()
    data = {
        "course": city["course"].pk,
        "fiscal_year": values["fiscal_year"],
        "opens_on": values["opens_on"].isoformat(),
        "due_on": values["due_on"].isoformat(),
        **extra,
    }
    response = client.post(reverse("lms:assignments"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Assignment.objects.exists()


def test_every_six_months_reads_as_two_cycles_of_the_year(
    client, city, django_capture_on_commit_callbacks
):
    client.force_login(city["hr"])
    page = client.get(reverse("lms:assignments")).text
    assert "12か月未満にすると1年度に複数回実施します" in page
    values = dates()
    data = {
        "course": city["course"].pk,
        "fiscal_year": values["fiscal_year"],
        "opens_on": values["opens_on"].isoformat(),
        "due_on": values["opens_on"].replace(month=6, day=30).isoformat(),
        "mandatory": "on",
        "recurrence": "months",
        "recurrence_months": "6",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("lms:assignments"), data).status_code == 302
    october = values["opens_on"].replace(month=10)
    with django_capture_on_commit_callbacks(execute=True):
        compliance_cycles_run(today=october)
    page = client.get(reverse("lms:assignments")).text
    assert page.count(">6か月ごと<") == 2
    assert page.count("第2回") == 1
    client.force_login(city["people"]["madoguchi"][0])
    with django_capture_on_commit_callbacks(execute=True):
        assignment_fan_out(assignment_id=Assignment.objects.get(cycle=1).pk)
    to_do = client.get(reverse("lms:my_training")).context["training"].to_do
    assert [e.cycle for e in to_do] == [1]
