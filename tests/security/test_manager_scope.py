"""The 課長 as a first-class role: everything about their own units, nothing about others.

The city of ``tests.lms.training.make_city``: the manager is the 課長 of 人事課 (総務部), whose
units are 人事係 and 給与係. 情報政策課 (DX推進係) is a sibling section in the same
department; 市民部 > 市民課 > 窓口係 is another department. Everyone is enrolled in the
course; 給与係 and 窓口係 are overdue.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import DxPlan, PlanStatus, SvoWorksheet, WorksheetStatus
from courses.plans.services import PlanStepData, plan_create
from lms.completion.figures import stats_rebuild
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment, ReminderKind, ReminderLog
from org import access
from org.models import RoleGroup
from tests.factories import DxProAssignmentFactory, UserFactory, make_svo_exercise, make_worksheet
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = make_city()
    tree = city["tree"]
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    Enrollment.objects.filter(user__unit__in=[tree["kyuyo_kakari"], tree["madoguchi"]]).update(
        due_on=dt.date(2000, 4, 1)
    )
    stats_rebuild()
    city["manager"] = city["people"]["chief"][0]
    city["hr"] = UserFactory(groups=[RoleGroup.HR])
    city["exercise"] = make_svo_exercise(city["course"], min_statements=1)
    return city


def _dashboard(city, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"course": city["course"].pk, **params}.items())
    return f"{reverse('lms:dashboard')}?{query}"


def _submitted(person, exercise, *, status=WorksheetStatus.SUBMITTED) -> SvoWorksheet:
    return make_worksheet(person, exercise, status=status, submitted_at=timezone.now())


def _plan(worksheet: SvoWorksheet, title: str) -> DxPlan:
    statement = worksheet.statements.order_by("position").first()
    return plan_create(
        worksheet_id=worksheet.pk, statement_id=statement.pk, by=worksheet.user,
        steps=[PlanStepData("試行")],
        data={
            "title": title, "purpose": "待ち時間を減らす", "problem_events": "列ができる",
            "kpi": "平均待ち時間", "kpi_unit": "分", "current_value": Decimal("30"),
            "target_value": Decimal("10"), "deadline_fiscal_year": dates()["fiscal_year"] + 1,
            "deadline_quarter": 2, "owner": worksheet.user, "status": PlanStatus.DRAFT,
        },
    )  # fmt: skip


# --- people and who is overdue ---------------------------------------------------------------


def test_manager_lands_on_own_section_and_sees_who_is_overdue(
    client, city, django_assert_max_num_queries
):
    client.force_login(city["manager"])
    page = client.get(_dashboard(city))
    assert page.status_code == 200
    assert page.context["rollup"].parent.name == "人事課"
    nav = page.text.split('aria-label="組織内の位置"')[1].split("</nav>")[0]
    assert "担当の所属" in nav and "全庁" not in nav
    # The people list of their section: 給与係 overdue first, by name; nobody from elsewhere.
    unit = city["tree"]["jinji"].pk
    client.get(_dashboard(city, unit=unit, show="overdue"))  # the header, kept in the session
    with django_assert_max_num_queries(16):
        listed = client.get(_dashboard(city, unit=unit, show="overdue"))
    names = [e.user.display_name for e in listed.context["people"]]
    assert sorted(names) == sorted(p.display_name for p in city["people"]["kyuyo_kakari"])
    assert all(name in listed.text for name in names)
    everyone = client.get(_dashboard(city, unit=unit))
    shown = {e.user.unit.name for e in everyone.context["people"]}
    assert shown == {"人事課", "人事係", "給与係"}  # the 課長 is enrolled too


def test_the_people_list_costs_the_same_for_more_staff(client, city):
    client.force_login(city["manager"])
    url = _dashboard(city, unit=city["tree"]["jinji"].pk, show="overdue")
    client.get(url)  # the session's header, kept after the first page
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    # Read now: the next request empties the connection's log that ``few`` reads from.
    queries = len(few)
    assert 0 < queries <= 16
    for _ in range(15):
        UserFactory(unit=city["tree"]["kyuyo_kakari"])
    assignment_fan_out(assignment_id=Enrollment.objects.first().assignment_id)
    Enrollment.objects.filter(user__unit=city["tree"]["kyuyo_kakari"]).update(
        due_on=dt.date(2000, 4, 1)
    )
    stats_rebuild()
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(many) == queries
    assert page.context["people"].paginator.count == 17


@pytest.mark.parametrize("key", ["jouhou", "dx_kakari", "shimin_bu", "shimin_ka", "soumu"])
def test_other_units_are_not_found(client, city, key):
    """A sibling section, another department, and the department above their own."""
    client.force_login(city["manager"])
    unit = city["tree"][key].pk
    assert client.get(_dashboard(city, unit=unit)).status_code == 404
    assert client.get(_dashboard(city, unit=unit, show="overdue")).status_code == 404
    csv_url = f"{reverse('lms:dashboard_csv')}?course={city['course'].pk}&unit={unit}"
    assert client.get(csv_url).status_code == 404


def test_can_view_unit_and_manages(city):
    manager, tree = city["manager"], city["tree"]
    for key in ("jinji", "jinji_kakari", "kyuyo_kakari"):
        assert access.manages(manager, tree[key]) and access.can_view_unit(manager, tree[key])
    for key in ("soumu", "jouhou", "dx_kakari", "shimin_ka", "madoguchi"):
        assert not access.can_view_unit(manager, tree[key]), key
    assert access.can_view_unit(city["hr"], tree["madoguchi"])
    assert not access.can_view_unit(city["people"]["jinji_kakari"][0], tree["jinji_kakari"])


# --- worksheets ------------------------------------------------------------------------------


def test_manager_reads_a_submitted_worksheet_of_their_section_but_cannot_decide(client, city):
    author = city["people"]["kyuyo_kakari"][0]
    worksheet = _submitted(author, city["exercise"])
    client.force_login(city["manager"])
    listing = client.get(reverse("courses:unit_worksheets"))
    assert listing.status_code == 200 and author.display_name in listing.text
    page = client.get(reverse("courses:review_detail", args=[worksheet.pk]))
    assert page.status_code == 200
    assert author.display_name in page.text and "所属長として閲覧しています" in page.text
    assert 'name="decision"' not in page.text and "<textarea" not in page.text
    for data in ({"decision": "approved", "version": 1},
                 {"decision": "approved", "version": 1, "confirmed": "1"}):  # fmt: skip
        refused = client.post(reverse("courses:review_detail", args=[worksheet.pk]), data)
        assert refused.status_code == 403
    worksheet.refresh_from_db()
    assert worksheet.status == WorksheetStatus.SUBMITTED


def test_a_manager_who_is_also_the_dx_pro_decides(client, city):
    DxProAssignmentFactory(user=city["manager"], unit=city["tree"]["jinji"])
    worksheet = _submitted(city["people"]["kyuyo_kakari"][0], city["exercise"])
    client.force_login(city["manager"])
    page = client.get(reverse("courses:review_detail", args=[worksheet.pk]))
    assert 'name="decision"' in page.text
    decided = client.post(
        reverse("courses:review_detail", args=[worksheet.pk]),
        {"decision": "approved", "version": worksheet.version, "confirmed": "1"},
    )
    assert decided.status_code == 302
    worksheet.refresh_from_db()
    assert worksheet.status == WorksheetStatus.APPROVED


def test_drafts_and_strangers_worksheets_stay_hidden(client, city):
    draft = make_worksheet(city["people"]["jinji_kakari"][0], city["exercise"])
    stranger = city["people"]["madoguchi"][0]
    strangers = _submitted(stranger, city["exercise"])
    sibling = _submitted(city["people"]["dx_kakari"][0], city["exercise"])
    client.force_login(city["manager"])
    for worksheet in (draft, strangers, sibling):
        assert client.get(reverse("courses:review_detail", args=[worksheet.pk])).status_code == 404
    listing = client.get(reverse("courses:unit_worksheets"))
    assert list(listing.context["worksheets"]) == []
    assert "まだワークシートを提出した職員はいません" in listing.text
    assert not access.can_read_worksheets_of(city["manager"], stranger)
    assert access.can_read_worksheets_of(city["manager"], city["people"]["jinji_kakari"][0])


def test_staff_have_no_unit_worksheets(client, city):
    client.force_login(city["people"]["jinji_kakari"][0])
    assert client.get(reverse("courses:unit_worksheets")).status_code == 403


# --- DX plans --------------------------------------------------------------------------------


def test_manager_reads_their_sections_plans_only(client, city, django_assert_max_num_queries):
    own = [
        _plan(
            _submitted(person, city["exercise"], status=WorksheetStatus.APPROVED),
            f"給与計算の自動化 {n}",
        )
        for n, person in enumerate(city["people"]["kyuyo_kakari"])
    ]
    strangers = _plan(
        _submitted(
            city["people"]["madoguchi"][0], city["exercise"], status=WorksheetStatus.APPROVED
        ),
        "窓口の予約制",
    )
    client.force_login(city["manager"])
    client.get(reverse("courses:plan_list"))  # the header, kept in the session
    with CaptureQueriesContext(connection) as few:
        listing = client.get(reverse("courses:plan_list"))
    # Read now: the next request empties the connection's log that ``few`` reads from.
    queries = len(few)
    assert 0 < queries <= 15
    assert {plan.pk for plan in listing.context["plans"].page} == {plan.pk for plan in own}
    assert "窓口の予約制" not in listing.text
    detail = client.get(reverse("courses:plan_detail", args=[own[0].pk]))
    assert detail.status_code == 200 and own[0].title in detail.text
    assert reverse("courses:plan_edit", args=[own[0].pk]) not in detail.text
    assert client.get(reverse("courses:plan_edit", args=[own[0].pk])).status_code == 403
    assert client.get(reverse("courses:plan_detail", args=[strangers.pk])).status_code == 404
    # More plans in their section cost no more queries.
    for person in city["people"]["jinji_kakari"]:
        _plan(_submitted(person, city["exercise"], status=WorksheetStatus.APPROVED), "人事の計画")
    with django_assert_max_num_queries(queries):
        listing = client.get(reverse("courses:plan_list"))
    assert listing.context["plans"].total == 4


# --- reminders -------------------------------------------------------------------------------


def test_manager_reminds_their_section_once_a_day_signed_with_their_name(client, city):
    manager = city["manager"]
    client.force_login(manager)
    data = {"unit": city["tree"]["jinji"].pk, "course": city["course"].pk}
    confirm = client.get(reverse("lms:reminder_send"), data)
    assert confirm.status_code == 200 and manager.display_name in confirm.text
    assert client.post(reverse("lms:reminder_send"), data).status_code == 302
    overdue = city["people"]["kyuyo_kakari"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in overdue)
    message = mail.outbox[0]
    assert f"人事課 {manager.display_name}" in message.subject
    assert f"人事課 {manager.display_name}より、研修の受講のお願いです。" in message.body
    assert "督促" not in message.subject + message.body and "人事課より" not in message.body
    # Once a day per person, whoever sends.
    client.post(reverse("lms:reminder_send"), data)
    client.force_login(city["hr"])
    client.post(reverse("lms:reminder_send"), data)
    assert len(mail.outbox) == 2
    assert set(ReminderLog.objects.values_list("sent_by", flat=True)) == {manager.pk}


def test_manager_cannot_remind_another_section(client, city):
    client.force_login(city["manager"])
    for key in ("madoguchi", "jouhou", "soumu"):
        data = {"unit": city["tree"][key].pk, "course": city["course"].pk}
        assert client.get(reverse("lms:reminder_send"), data).status_code == 404
        assert client.post(reverse("lms:reminder_send"), data).status_code == 404
    assert mail.outbox == [] and not ReminderLog.objects.exists()
    # Nor can someone who manages nothing, even in their own unit.
    client.force_login(city["people"]["kyuyo_kakari"][1])
    data = {"unit": city["tree"]["kyuyo_kakari"].pk, "course": city["course"].pk}
    assert client.post(reverse("lms:reminder_send"), data).status_code == 403
    assert mail.outbox == []


def test_the_reminder_log_shows_their_units_only(client, city):
    today = timezone.localdate()
    mine = city["people"]["jinji_kakari"][0]
    stranger = city["people"]["madoguchi"][0]
    for person in (mine, stranger):
        ReminderLog.objects.create(
            recipient=person, kind=ReminderKind.MANUAL, sent_on=today, items=1, sent_by=city["hr"]
        )
    client.force_login(city["manager"])
    page = client.get(reverse("lms:reminder_log"))
    assert [log.recipient for log in page.context["logs"]] == [mine]
    assert stranger.display_name not in page.text


# --- navigation ------------------------------------------------------------------------------


def test_menu_and_my_training_show_my_units(client, city):
    client.force_login(city["manager"])
    home = client.get(reverse("lms:my_training")).text
    panel = home.split('id="my-units-h"')[1].split("</section>")[0]
    menu = home.split('aria-label="メイン"')[1].split("</nav>")[0]
    assert "担当の所属" in menu and reverse("courses:unit_worksheets") in menu
    # They review nothing (not a DX PRO): no review queue in their menu.
    assert f'href="{reverse("courses:review_queue")}"' not in menu
    assert "人事課" in panel and reverse("courses:unit_worksheets") in panel
    assert reverse("lms:reminder_log") in panel
    client.force_login(city["people"]["jinji_kakari"][0])
    assert 'id="my-units-h"' not in client.get(reverse("lms:my_training")).text
