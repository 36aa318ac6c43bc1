"""HTML typed by people is shown as text everywhere: display names, unit names, worksheet
statements and review comments, quiz answers, plan fields and roster errors, on the pages
of staff, DX PROs and HR. Each page must show the escaped text and never the raw tag."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.fiscal import current_fiscal_year
from courses.models import DxPlan, QuestionType, ReviewDecision, SvoStatement
from courses.services import attempt_start, attempt_submit
from courses.svo.services import worksheet_review_decide, worksheet_submit
from org.models import RoleGroup, RosterImport
from org.roster.services import roster_import_create
from tests.factories import UserFactory, make_course, make_question
from tests.factories.lms import DxProAssignmentFactory, OrgUnitFactory
from tests.factories.svo import make_svo_exercise, make_worksheet

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(2)>"
RAW = (SCRIPT, IMAGE, "<img src=x")
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMAGE = "&lt;img src=x onerror=alert(2)&gt;"


def _assert_escaped(response, *, shows: tuple[str, ...] = (ESCAPED_SCRIPT,)) -> None:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    for raw in RAW:
        assert raw not in html, f"raw {raw!r} in {response.wsgi_request.path}"
    for escaped in shows:
        assert escaped in html, f"{escaped!r} not shown on {response.wsgi_request.path}"


@pytest.fixture
def city(django_capture_on_commit_callbacks):
    """A unit, its staff member, DX PRO and HR, all with HTML in what they typed."""
    fiscal_year = current_fiscal_year()
    unit = OrgUnitFactory.create(name=f"課{SCRIPT}")
    author = UserFactory(unit=unit, display_name=f"職員{SCRIPT}")
    reviewer = UserFactory(display_name=f"推進員{IMAGE}")
    DxProAssignmentFactory(user=reviewer, unit=unit, fiscal_year=fiscal_year)
    hr = UserFactory(display_name="人事")
    hr.groups.add(Group.objects.get_or_create(name=RoleGroup.HR)[0])

    parts = make_course(questions=[make_question(QuestionType.SHORT)], slug="xss")
    attempt = attempt_start(user=author, quiz=parts["quiz"])
    with django_capture_on_commit_callbacks(execute=True):  # grading runs eagerly
        attempt_submit(
            attempt_id=attempt.pk, user=author, responses={attempt.questions[0]["key"]: SCRIPT}
        )

    exercise = make_svo_exercise(parts["course"], min_statements=1)
    worksheet = make_worksheet(author, exercise, statements=1)
    statement = worksheet.statements.get()
    SvoStatement.objects.filter(pk=statement.pk).update(
        subject=f"係員{SCRIPT}", verb=f"確認{IMAGE}", purpose=f"目的{SCRIPT}", idea=f"案{SCRIPT}"
    )
    worksheet = worksheet_submit(worksheet_id=worksheet.pk, user=author)
    worksheet_review_decide(
        worksheet_id=worksheet.pk,
        reviewer=reviewer,
        decision=ReviewDecision.RETURNED,
        version=worksheet.version,
        comment=f"全体{SCRIPT}",
        statement_comments={statement.pk: f"個別{IMAGE}"},
    )
    return {
        "unit": unit, "author": author, "reviewer": reviewer, "hr": hr, "attempt": attempt,
        "exercise": exercise, "worksheet": worksheet, "statement": statement,
    }  # fmt: skip


def test_staff_pages_show_their_own_html_as_text(client, city):
    client.force_login(city["author"])
    _assert_escaped(client.get(reverse("courses:attempt", args=[city["attempt"].pk])))
    _assert_escaped(
        client.get(reverse("courses:svo_worksheet", args=[city["exercise"].pk])),
        shows=(ESCAPED_SCRIPT, ESCAPED_IMAGE),  # statements and both review comments
    )
    _assert_escaped(client.get(reverse("lms:my_training")), shows=())


def test_dx_pro_pages_show_names_statements_and_comments_as_text(client, city):
    client.force_login(city["reviewer"])
    worksheet = city["worksheet"]
    worksheet.refresh_from_db()
    worksheet.status = "submitted"  # back in the queue, as after a resubmission
    worksheet.save(update_fields=["status"])
    _assert_escaped(client.get(reverse("courses:review_queue")))
    _assert_escaped(
        client.get(reverse("courses:review_detail", args=[worksheet.pk])),
        shows=(ESCAPED_SCRIPT, ESCAPED_IMAGE),
    )
    _assert_escaped(client.get(reverse("org:roster"), {"unit": city["unit"].pk}))


def test_hr_pages_show_names_units_and_roster_errors_as_text(
    client, city, django_capture_on_commit_callbacks
):
    client.force_login(city["hr"])
    _assert_escaped(client.get(reverse("org:roster"), {"unit": city["unit"].pk}))
    _assert_escaped(client.get(reverse("lms:dashboard")))
    with django_capture_on_commit_callbacks(execute=True):  # validation runs eagerly
        roster_import = roster_import_create(
            uploaded_by=city["hr"],
            file_name=f"{SCRIPT}.csv",
            content=(
                "職員番号,氏名,メールアドレス,部,課,職名,雇用区分\n"
                f"X1,{SCRIPT},{IMAGE},総務部,{SCRIPT},{IMAGE},{SCRIPT}\n"
            ).encode(),
            full_roster=False,
        )
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.INVALID
    _assert_escaped(
        client.get(reverse("org:roster_import_detail", args=[roster_import.pk])),
        shows=(ESCAPED_SCRIPT,),
    )
    _assert_escaped(client.get(reverse("org:roster_import_upload")))


def test_plan_fields_are_shown_as_text(client, city):
    worksheet = city["worksheet"]
    worksheet.status = "approved"
    worksheet.save(update_fields=["status"])
    plan = DxPlan.objects.create(
        worksheet=worksheet,
        statement=city["statement"],
        source_idea=f"案{SCRIPT}",
        title=f"計画{SCRIPT}",
        purpose=f"目的{IMAGE}",
        problem_events=f"課題{SCRIPT}",
        kpi=f"件数{SCRIPT}",
        kpi_unit="件",
        current_value=Decimal(10),
        target_value=Decimal(5),
        deadline_fiscal_year=current_fiscal_year(),
        deadline_quarter=1,
        owner=city["author"],
        created_by=city["author"],
    )
    plan.steps.create(position=1, text=f"手順{IMAGE}")
    for viewer in (city["author"], city["reviewer"], city["hr"]):
        client.force_login(viewer)
        _assert_escaped(client.get(reverse("courses:plan_list")))
        _assert_escaped(
            client.get(reverse("courses:plan_detail", args=[plan.pk])),
            shows=(ESCAPED_SCRIPT, ESCAPED_IMAGE),
        )
