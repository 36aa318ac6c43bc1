"""A compliance year walked through on PostgreSQL with a real Celery worker.

April: the yearly assignment opens its new cycle (the daily job, run by the worker). June: a
new hire arrives on the roster and is due 30 days after their 入庁日. October: a transfer
is due 30 days after the move and is withdrawn from the units they left. November: a
certificate about to expire brings its holder back in time. HR's dashboard figures (kept by
the worker) are checked at each step.

Dates: the worker is a process of its own with the real clock, and nothing here freezes
time. Every step names its day instead: the daily task takes ``today`` as an argument (the
beat schedule leaves it out: today in Asia/Tokyo) and the roster apply takes the day it
takes effect. The walk is set in next fiscal year, so no due date of it has passed by the
real clock and "overdue" (which the worker counts against the real date) stays 0.

A drill that recurs every six months runs alongside: its October cycle is the year's second
(cycle 1), enrols everyone in scope again and takes over the year's figures, while April's
completions stay as they were.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from core.fiscal import current_fiscal_year
from core.models import QueuedTask
from core.queue import enqueue_on_commit
from lms.enrolment.services import assignment_create, enrollment_set_status
from lms.models import (
    Assignment,
    DueRule,
    Enrollment,
    EnrollmentStatus,
    FanOutStatus,
    Recurrence,
    User,
)
from lms.reports.dashboard import completion_rollup
from lms.tasks import compliance_cycles_daily_task
from org.models import OrgUnit, RoleGroup, RosterImport
from org.roster.services import roster_import_apply, roster_import_create, roster_import_validate
from tests.factories import make_course
from tests.org.roster_files import csv_bytes, roster_line

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

W = current_fiscal_year() + 1  # the year walked through
LAST = W - 1  # the cycle before it


def _reiwa(day: dt.date) -> str:
    return f"令和{day.year - 2018}年{day.month}月{day.day}日"


def _staff(*, aoki_moved: bool = False, hire: bool = False) -> list[dict]:
    aoki = {"dept": "市民部", "section": "市民課", "unit": "窓口係"} if aoki_moved else {}
    lines = [
        roster_line("CY001", name="青木 一郎", 入庁日="2001/4/1", **aoki),
        roster_line("CY002", name="井上 花子", 入庁日="２０１０年４月１日"),
        roster_line("CY003", name="上田 次郎", dept="市民部", section="市民課", unit="窓口係"),
        roster_line("CY004", name="江藤 三郎", section="情報政策課", unit="DX推進係"),
    ]
    if hire:
        lines.append(roster_line("CY005", name="大野 桜", 入庁日=_reiwa(dt.date(W, 6, 1))))
    return lines


def _apply_roster(lines: list[dict], *, today: dt.date) -> None:
    roster_import = roster_import_create(
        uploaded_by=None, file_name="roster.csv", content=csv_bytes(lines), full_roster=False,
        enqueue=False,
    )  # fmt: skip
    roster_import = roster_import_validate(roster_import_id=roster_import.pk)
    assert roster_import.status == RosterImport.Status.PREVIEWED, roster_import.errors
    roster_import = roster_import_apply(roster_import_id=roster_import.pk, today=today)
    assert roster_import.status == RosterImport.Status.APPLIED, roster_import.failure_reason


def _person(number: str) -> User:
    return User.objects.get(employee_number=number)


def _enrollment(number: str, assignment: Assignment) -> Enrollment:
    return Enrollment.objects.get(user__employee_number=number, assignment=assignment)


@pytest.fixture
def hr():
    person = User.objects.create_user("CY900", display_name="人事 担当")
    person.groups.add(Group.objects.get_or_create(name=RoleGroup.HR)[0])
    return person


def test_a_compliance_year(hr, wait_until):
    def figures(course, year) -> dict:
        rollup = completion_rollup(viewer=_person("CY900"), course_id=course.pk, fiscal_year=year)
        total = rollup.total
        return {
            "enrolled": total.enrolled,
            "not_started": total.not_started,
            "completed": total.completed,
            "overdue": total.overdue,
        }

    def dashboard_shows(course, year, expected: dict) -> None:
        def shows():
            """HR's dashboard shows the expected figures (the worker recounts them)"""
            return figures(course, year) == expected

        wait_until(shows, timeout=30)

    def run_daily_job(day: dt.date) -> None:
        """The beat job, for ``day``, sent to the worker as beat sends it (through the
        queue, so its row says when it is done)."""
        key = f"compliance-walk:{day.isoformat()}"
        enqueue_on_commit(compliance_cycles_daily_task, day.isoformat(), key=key)

        def finished():
            """the worker ran the daily job"""
            row = QueuedTask.objects.filter(task=compliance_cycles_daily_task.name, key=key)
            failed = row.exclude(failed_at=None).values_list("failure_reason", flat=True)
            assert not failed, list(failed)
            return not row.exists()

        wait_until(finished, timeout=60)

    def cycles_of(course) -> list[Assignment]:
        return list(Assignment.objects.filter(course=course).order_by("fiscal_year", "cycle"))

    def fanned_out(assignment: Assignment) -> Assignment:
        def done():
            """the worker enrolled the assignment's audience"""
            assignment.refresh_from_db()
            return assignment.fan_out_status == FanOutStatus.DONE

        wait_until(done, timeout=30)
        return assignment

    # --- last year: the city, the courses and what was done ---------------------------------
    _apply_roster(_staff(), today=dt.date(LAST, 4, 1))
    soumu, shimin = OrgUnit.objects.get(name="総務部"), OrgUnit.objects.get(name="市民部")
    privacy = make_course(title="個人情報保護研修", slug="privacy", lessons=1)["course"]
    security = make_course(title="情報セキュリティ研修", slug="security", lessons=1)["course"]
    basics = make_course(title="DX基礎研修", slug="dx-basics", lessons=1)["course"]
    basics.certificate_valid_months = 12
    drill = make_course(title="標的型メール訓練", slug="phishing-drill", lessons=1)["course"]
    basics.save()

    yearly = assignment_create(
        course=privacy, fiscal_year=LAST, opens_on=dt.date(LAST, 4, 1),
        due_on=dt.date(LAST, 6, 30), units=[soumu], recurrence=Recurrence.FISCAL_YEAR,
        due_rule=DueRule.AFTER_JOINING, due_days=30, created_by=hr,
    )  # fmt: skip
    certified = assignment_create(
        course=basics, fiscal_year=LAST, opens_on=dt.date(LAST, 4, 1),
        due_on=dt.date(LAST + 1, 3, 31), units=[shimin], renewal_window_days=30, created_by=hr,
    )  # fmt: skip
    fanned_out(yearly)
    fanned_out(certified)
    enrollment_set_status(enrollment=_enrollment("CY001", yearly), status="completed")
    enrollment_set_status(
        enrollment=_enrollment("CY003", certified),
        status="completed",
        at=dt.datetime(LAST, 12, 1, 3, 0, tzinfo=dt.UTC),  # noon in Tokyo: valid to W-12-01
    )
    # "Overdue" is counted by the worker against the real date.
    overdue = 2 if dt.date(LAST, 6, 30) < timezone.localdate() else 0
    dashboard_shows(
        privacy, LAST, {"enrolled": 3, "not_started": 2, "completed": 1, "overdue": overdue}
    )

    # --- April 1: the daily job opens this year's cycle ---------------------------------------
    run_daily_job(dt.date(W, 3, 31))
    assert cycles_of(privacy) == [yearly]
    run_daily_job(dt.date(W, 4, 1))
    _yearly, cycle = cycles_of(privacy)
    cycle = fanned_out(cycle)
    assert (cycle.fiscal_year, cycle.opens_on, cycle.due_on, cycle.previous_cycle_id) == (
        W, dt.date(W, 4, 1), dt.date(W, 6, 30), yearly.pk,
    )  # fmt: skip
    assert _enrollment("CY002", cycle).due_on == dt.date(W, 6, 30)
    dashboard_shows(privacy, W, {"enrolled": 3, "not_started": 3, "completed": 0, "overdue": 0})
    # Last year's completion is where it was.
    last_year = _enrollment("CY001", yearly)
    assert last_year.status == EnrollmentStatus.COMPLETED and last_year.fiscal_year == LAST
    # Run again (or by a second worker): nothing twice.
    run_daily_job(dt.date(W, 4, 2))
    assert len(cycles_of(privacy)) == 2
    assert Enrollment.objects.filter(assignment=cycle).count() == 3

    moved_in = assignment_create(
        course=security, fiscal_year=W, opens_on=dt.date(W, 4, 1), due_on=dt.date(W, 6, 30),
        units=[shimin], due_rule=DueRule.AFTER_UNIT_MOVE, due_days=30, created_by=hr,
    )  # fmt: skip
    fanned_out(moved_in)
    assert _enrollment("CY003", moved_in).due_on == dt.date(W, 6, 30)
    drill_april = assignment_create(
        course=drill, fiscal_year=W, opens_on=dt.date(W, 4, 1), due_on=dt.date(W, 5, 31),
        units=[shimin], recurrence=Recurrence.MONTHS, recurrence_months=6, created_by=hr,
    )  # fmt: skip
    fanned_out(drill_april)
    enrollment_set_status(enrollment=_enrollment("CY003", drill_april), status="completed")
    dashboard_shows(drill, W, {"enrolled": 1, "not_started": 0, "completed": 1, "overdue": 0})
    dashboard_shows(security, W, {"enrolled": 1, "not_started": 1, "completed": 0, "overdue": 0})

    # --- June 1: a new hire, enrolled by the roster apply itself -----------------------------
    _apply_roster(_staff(hire=True), today=dt.date(W, 6, 1))
    hire = _person("CY005")
    assert hire.joined_on == dt.date(W, 6, 1)
    assert _enrollment("CY005", cycle).due_on == dt.date(W, 7, 1)  # 入庁日 + 30
    dashboard_shows(privacy, W, {"enrolled": 4, "not_started": 4, "completed": 0, "overdue": 0})

    # --- October 1: 青木 moves from 総務部 to 市民部 -----------------------------------------
    _apply_roster(_staff(aoki_moved=True, hire=True), today=dt.date(W, 10, 1))
    assert _person("CY001").unit_since == dt.date(W, 10, 1)
    assert _enrollment("CY001", moved_in).due_on == dt.date(W, 10, 31)  # move + 30
    assert _enrollment("CY001", cycle).status == EnrollmentStatus.WITHDRAWN
    kept = _enrollment("CY001", yearly)  # last year's completion stays with 人事係
    assert kept.status == EnrollmentStatus.COMPLETED
    assert kept.unit_at_completion.name == "人事係"
    dashboard_shows(privacy, W, {"enrolled": 3, "not_started": 3, "completed": 0, "overdue": 0})
    dashboard_shows(security, W, {"enrolled": 2, "not_started": 2, "completed": 0, "overdue": 0})
    # The same day the drill's second cycle of the year opens: everyone in 市民部 again, 青木
    # included, due in six months' time; the year's figures are October's.
    run_daily_job(dt.date(W, 10, 1))
    _april, drill_october = cycles_of(drill)
    drill_october = fanned_out(drill_october)
    assert (drill_october.fiscal_year, drill_october.cycle, drill_october.due_on) == (
        W, 1, dt.date(W, 11, 30),
    )  # fmt: skip
    assert _enrollment("CY001", drill_october).status == EnrollmentStatus.NOT_STARTED
    assert _enrollment("CY003", drill_april).status == EnrollmentStatus.COMPLETED
    dashboard_shows(drill, W, {"enrolled": 2, "not_started": 2, "completed": 0, "overdue": 0})

    # --- November 1: 30 days before 上田's certificate expires, the course is theirs again --
    renewals = Enrollment.objects.filter(course=basics, fiscal_year=W)
    run_daily_job(dt.date(W, 10, 31))
    assert not renewals.exists()
    run_daily_job(dt.date(W, 11, 1))
    renewal = renewals.get()
    assert renewal.user.employee_number == "CY003" and renewal.assignment == certified
    assert renewal.due_on == dt.date(W, 12, 1) and renewal.status == EnrollmentStatus.NOT_STARTED
    dashboard_shows(basics, W, {"enrolled": 1, "not_started": 1, "completed": 0, "overdue": 0})
    run_daily_job(dt.date(W, 11, 2))
    assert renewals.count() == 1
