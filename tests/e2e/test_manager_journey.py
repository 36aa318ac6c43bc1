"""A 課長's journey in a real browser: their own section, and nothing else.

The 課長 of 人事課 signs in and finds 「担当の所属」 on My training and in the menu. They open
their section's people and see the overdue person by name, send that person a 受講のお願い
(the e-mail says it is from them), read a submitted worksheet of their section without being
able to decide on it, open a DX plan of their section, and get "not found" for another section.
Every page is checked with axe and photographed at 390 and 1280 px, like every e2e page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import PlanStatus, WorksheetStatus
from courses.plans.services import PlanStepData, plan_create
from lms.completion.figures import stats_rebuild
from lms.enrolment.services import assignment_create, assignment_fan_out, enrollment_set_status
from lms.models import Enrollment, EnrollmentStatus, ReminderLog
from org.people import Position
from tests.factories import (
    UserFactory,
    make_course,
    make_org_tree,
    make_svo_exercise,
    make_worksheet,
)
from tests.lms.training import dates

from .conftest import DESKTOP

pytestmark = [
    pytest.mark.integration,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
PLAN_TITLE = "給与明細の電子交付"


def _section() -> dict:
    """人事課 with its 課長, someone overdue in 給与係 with a submitted worksheet and a plan,
    someone done in 人事係; and 窓口係 of another department, overdue too."""
    tree = make_org_tree()
    course = make_course(title="情報セキュリティ研修", slug="e2e-manager", lessons=1)["course"]
    exercise = make_svo_exercise(course, min_statements=1)
    people = {
        "manager": UserFactory(employee_number="390001", display_name="人事 課長",
                               unit=tree["jinji"], position=Position.SECTION_CHIEF),
        "overdue": UserFactory(employee_number="390002", display_name="給与 遅子",
                               unit=tree["kyuyo_kakari"]),
        "done": UserFactory(employee_number="390003", display_name="人事 済男",
                            unit=tree["jinji_kakari"]),
        "stranger": UserFactory(employee_number="390004", display_name="窓口 他子",
                                unit=tree["madoguchi"]),
    }  # fmt: skip
    assignment = assignment_create(course=course, enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    enrollment_set_status(
        enrollment=Enrollment.objects.get(user=people["done"]),
        status=EnrollmentStatus.COMPLETED,
        refresh_stats=False,
    )
    Enrollment.objects.filter(user__in=[people["overdue"], people["stranger"]]).update(
        due_on=dt.date(dates()["fiscal_year"], 4, 30)
    )
    stats_rebuild()
    submitted = make_worksheet(people["overdue"], exercise, status=WorksheetStatus.SUBMITTED,
                               submitted_at=timezone.now())  # fmt: skip
    other_exercise = make_svo_exercise(course, slug="svo-2", min_statements=1)
    approved = make_worksheet(people["overdue"], other_exercise, status=WorksheetStatus.APPROVED,
                              submitted_at=timezone.now())  # fmt: skip
    plan = plan_create(
        worksheet_id=approved.pk, statement_id=approved.statements.first().pk,
        by=people["overdue"], steps=[PlanStepData("試行")],
        data={
            "title": PLAN_TITLE, "purpose": "紙の明細をなくす", "problem_events": "毎月の封入作業",
            "kpi": "封入時間", "kpi_unit": "時間", "current_value": Decimal("20"),
            "target_value": Decimal("2"), "deadline_fiscal_year": dates()["fiscal_year"] + 1,
            "deadline_quarter": 1, "owner": people["overdue"], "status": PlanStatus.DRAFT,
        },
    )  # fmt: skip
    return {"tree": tree, "course": course, "people": people, "worksheet": submitted, "plan": plan}


def test_manager_sees_their_section_and_only_theirs(people):
    section = _section()
    overdue, stranger = section["people"]["overdue"], section["people"]["stranger"]
    manager = people("manager", DESKTOP)
    page = manager.page
    manager.sign_in("390001", PASSWORD)

    # My training has the 「担当の所属」 panel; it leads to the section's overdue people.
    manager.goto(reverse("lms:my_training"))
    panel = page.locator("section.my-units")
    expect(panel).to_contain_text("担当の所属")
    expect(panel).to_contain_text("人事課")
    expect(page.locator("nav.site-nav")).to_contain_text("担当の所属")
    panel.get_by_role("link", name="職員一覧と受講期限を過ぎた職員").click()
    page.wait_for_url("**/hr/training/**")
    manager.axe()
    crumbs = page.get_by_role("navigation", name="組織内の位置")
    expect(crumbs).to_contain_text("担当の所属")
    expect(crumbs).to_contain_text("人事課")
    expect(crumbs).not_to_contain_text("全庁")
    people_table = page.locator("#people ~ .table-wrap table").first
    expect(people_table).to_contain_text(overdue.display_name)
    expect(people_table).not_to_contain_text(stranger.display_name)

    # A 受講のお願い to the overdue of the section: asked first, then sent, signed by them.
    page.locator(f"a[href^='{reverse('lms:reminder_send')}']").first.click()
    page.wait_for_url("**/hr/reminders/send/**")
    manager.axe()
    expect(page.locator("main")).to_contain_text("人事 課長")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/hr/training/**")
    manager.axe()
    assert [message.to for message in mail.outbox] == [[overdue.email]]
    assert "人事課 人事 課長より、研修の受講のお願いです。" in mail.outbox[0].body
    assert ReminderLog.objects.get().recipient == overdue

    # A submitted worksheet of the section: read, not decided.
    page.locator("nav.site-nav").get_by_role("link", name="担当の所属のワークシート").click()
    page.wait_for_url(f"**{reverse('courses:unit_worksheets')}")
    manager.axe()
    detail = reverse("courses:review_detail", args=[section["worksheet"].pk])
    page.locator(f"main a[href='{detail}']").click()
    page.wait_for_url(f"**{detail}")
    manager.axe()
    expect(page.locator("main")).to_contain_text("所属長として閲覧しています")
    expect(page.locator("button[name=decision]")).to_have_count(0)

    # A DX plan of the section.
    page.locator("nav.site-nav").get_by_role("link", name="DX実行計画").click()
    page.wait_for_url(f"**{reverse('courses:plan_list')}")
    manager.axe()
    page.get_by_role("link", name=PLAN_TITLE).click()
    page.wait_for_url(f"**{reverse('courses:plan_detail', args=[section['plan'].pk])}")
    manager.axe()
    expect(page.locator("h1")).to_contain_text(PLAN_TITLE)

    # Another section (another department's 窓口係): not found.
    other = section["tree"]["madoguchi"].pk
    response = page.goto(
        manager.url(f"{reverse('lms:dashboard')}?course={section['course'].pk}&unit={other}")
    )
    assert response is not None and response.status == 404
    manager.axe()
    expect(page.locator("body")).not_to_contain_text(stranger.display_name)
    manager.audit.assert_clean()
