"""A roster apply enrols new hires and transfers in its own transaction, with their own due
dates, and withdraws those who moved out of an assignment's units."""

import datetime as dt

import pytest
from django.utils import translation

from core.fiscal import current_fiscal_year
from core.models import QueuedTask
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import DueRule, Enrollment, EnrollmentStatus, User
from org.models import OrgUnit, RosterImport
from org.roster.services import roster_import_apply, roster_import_create, roster_import_validate
from org.signals import roster_applied
from tests.factories import make_course
from tests.org.roster_files import csv_bytes, roster_line

pytestmark = pytest.mark.django_db

YEAR = current_fiscal_year()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def apply(lines, *, today):
    roster_import = roster_import_create(
        uploaded_by=None, file_name="r.csv", content=csv_bytes(lines), full_roster=True,
        enqueue=False,
    )  # fmt: skip
    roster_import = roster_import_validate(roster_import_id=roster_import.pk)
    assert roster_import.status == RosterImport.Status.PREVIEWED, roster_import.errors
    return roster_import_apply(
        roster_import_id=roster_import.pk,
        confirm_deactivate=roster_import.deactivated_count,
        today=today,
    )


STAFF = [
    roster_line("0001", name="青木 一郎", 入庁日="2001/4/1"),
    roster_line("0002", name="井上 花子", dept="市民部", section="市民課", unit="窓口係"),
]
HIRE = roster_line("0003", name="上田 次郎", 入庁日="令和8年6月1日".replace("8", str(YEAR - 2018)))


@pytest.fixture
def setup():
    apply(STAFF, today=dt.date(YEAR, 4, 1))
    course = make_course(lessons=1)["course"]
    soumu = OrgUnit.objects.get(name="総務部")
    shimin = OrgUnit.objects.get(name="市民部")
    by_joining = assignment_create(
        course=course, fiscal_year=YEAR, opens_on=dt.date(YEAR, 4, 1),
        due_on=dt.date(YEAR, 5, 31), units=[soumu], due_rule=DueRule.AFTER_JOINING, due_days=30,
        enqueue=False,
    )  # fmt: skip
    other = make_course(title="個人情報保護研修", slug="privacy", lessons=1)["course"]
    by_move = assignment_create(
        course=other, fiscal_year=YEAR, opens_on=dt.date(YEAR, 4, 1),
        due_on=dt.date(YEAR, 5, 31), units=[shimin], due_rule=DueRule.AFTER_UNIT_MOVE,
        due_days=30, enqueue=False,
    )  # fmt: skip
    for assignment in (by_joining, by_move):
        assignment_fan_out(assignment_id=assignment.pk)
    return by_joining, by_move


def test_joined_on_is_read_from_the_roster(setup):
    assert User.objects.get(employee_number="0001").joined_on == dt.date(2001, 4, 1)
    assert User.objects.get(employee_number="0001").unit_since == dt.date(YEAR, 4, 1)


def test_a_new_hire_is_enrolled_by_the_apply_with_their_own_due_date(setup):
    by_joining, _by_move = setup
    apply([*STAFF, HIRE], today=dt.date(YEAR, 6, 1))
    hire = User.objects.get(employee_number="0003")
    assert hire.joined_on == dt.date(YEAR, 6, 1)
    # No task ran (the test's transaction never commits): the apply itself enrolled them.
    enrollment = Enrollment.objects.get(user=hire, assignment=by_joining)
    assert enrollment.due_on == dt.date(YEAR, 7, 1)
    veteran = User.objects.get(employee_number="0001")
    assert Enrollment.objects.get(user=veteran, assignment=by_joining).due_on == dt.date(
        YEAR, 5, 31
    )


def test_enrolment_rolls_back_with_a_failed_apply(setup):
    def fail(**kwargs):
        raise RuntimeError("after the receivers")

    roster_applied.connect(fail, dispatch_uid="test.fail")
    try:
        with pytest.raises(RuntimeError):
            apply([*STAFF, HIRE], today=dt.date(YEAR, 6, 1))
    finally:
        roster_applied.disconnect(dispatch_uid="test.fail")
    assert not User.objects.filter(employee_number="0003").exists()
    assert Enrollment.objects.count() == 2


def test_a_transfer_moves_the_obligation_with_the_person(setup):
    by_joining, by_move = setup
    moved = roster_line("0001", name="青木 一郎", 入庁日="2001/4/1", dept="市民部",
                        section="市民課", unit="窓口係")  # fmt: skip
    apply([moved, STAFF[1]], today=dt.date(YEAR, 10, 1))
    person = User.objects.get(employee_number="0001")
    assert person.unit_since == dt.date(YEAR, 10, 1)
    assert Enrollment.objects.get(user=person, assignment=by_move).due_on == dt.date(YEAR, 10, 31)
    old = Enrollment.objects.get(user=person, assignment=by_joining)
    assert old.status == EnrollmentStatus.WITHDRAWN
    # The one who stayed keeps the date they had.
    stayed = User.objects.get(employee_number="0002")
    assert stayed.unit_since == dt.date(YEAR, 4, 1)
    assert Enrollment.objects.get(user=stayed, assignment=by_move).due_on == dt.date(YEAR, 5, 31)


def test_a_bad_joining_date_is_a_line_error():
    lines = [roster_line("0001", 入庁日="4月1日")]
    roster_import = roster_import_create(
        uploaded_by=None, file_name="r.csv", content=csv_bytes(lines), full_roster=True,
        enqueue=False,
    )  # fmt: skip
    roster_import = roster_import_validate(roster_import_id=roster_import.pk)
    assert roster_import.status == RosterImport.Status.INVALID
    assert roster_import.errors[0]["column"] == "入庁日"


def test_a_large_apply_records_the_enrolment_for_the_worker(
    setup, settings, django_capture_on_commit_callbacks
):
    """Above ROSTER_ENROL_IN_APPLY_MAX people (a first import, a reorganisation) the apply
    does not enrol in its transaction; it records the work, which runs after the commit and
    gives the new hire the same due date."""
    by_joining, _by_move = setup
    settings.ROSTER_ENROL_IN_APPLY_MAX = 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        apply([*STAFF, HIRE], today=dt.date(YEAR, 6, 1))
    hire = User.objects.get(employee_number="0003")
    assert not Enrollment.objects.filter(user=hire).exists()
    assert QueuedTask.objects.filter(task="lms.enrollments_sync_for_active_assignments").exists()
    for callback in callbacks:
        callback()
    assert Enrollment.objects.get(user=hire, assignment=by_joining).due_on == dt.date(YEAR, 7, 1)
