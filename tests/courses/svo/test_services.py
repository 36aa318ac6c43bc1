"""SVO worksheet services: autosave with conflict detection, submit and versions, the
automatic checks, review decisions (own worksheet, races, stale versions), notifications,
signals and the worksheet part of the course progress."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from core.fiscal import current_fiscal_year
from courses.models import (
    ReviewDecision,
    SvoReview,
    SvoStatement,
    SvoWorksheet,
    SvoWorksheetVersion,
    WorksheetStatus,
)
from courses.selectors import course_progress
from courses.signals import worksheet_approved, worksheet_returned, worksheet_submitted
from courses.svo.notifications import review_notify, reviews_to_notify
from courses.svo.services import (
    DecisionRefused,
    WorksheetConflict,
    WorksheetNotEditable,
    worksheet_for,
    worksheet_review_decide,
    worksheet_save,
    worksheet_submit,
)
from courses.tasks import reviews_notify_sweep_task
from org.models import OrgUnitKind
from tests.factories import (
    GOOD_STATEMENT,
    DxProAssignmentFactory,
    OrgUnitFactory,
    UserFactory,
    make_course,
    make_svo_exercise,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise(db):
    course = make_course(lessons=1)["course"]
    return make_svo_exercise(course, min_statements=2, max_statements=4)


@pytest.fixture
def section(db):
    return OrgUnitFactory.create(kind=OrgUnitKind.SECTION)


def dx_pro_of(unit) -> object:
    """Someone appointed DX PRO of ``unit`` this year: who reviews its people's worksheets."""
    pro = UserFactory(unit=unit)
    DxProAssignmentFactory(user=pro, unit=unit, fiscal_year=current_fiscal_year())
    return pro


@pytest.fixture
def author(section):
    return UserFactory(email="author@city.example.jp", unit=section)


@pytest.fixture
def reviewer(section):
    return dx_pro_of(section)


def save(worksheet, user, statements, lock_version=None):
    return worksheet_save(
        worksheet_id=worksheet.pk,
        user=user,
        lock_version=worksheet.lock_version if lock_version is None else lock_version,
        statements=statements,
    )


def vague(**changes):
    return {**GOOD_STATEMENT, "verb": "対応する", **changes}


@pytest.fixture
def submitted(exercise, author, django_capture_on_commit_callbacks):
    worksheet = worksheet_for(user=author, exercise=exercise)
    with django_capture_on_commit_callbacks(execute=True):
        worksheet = save(worksheet, author, [GOOD_STATEMENT, vague()])
        worksheet = worksheet_submit(worksheet_id=worksheet.pk, user=author)
    return worksheet


# --- autosave --------------------------------------------------------------------------------


def test_save_keeps_order_updates_in_place_removes_and_ignores_blank_rows(exercise, author):
    worksheet = worksheet_for(user=author, exercise=exercise)
    worksheet = save(worksheet, author, [GOOD_STATEMENT, vague(), {"subject": "  "}])
    first, second = worksheet.statements.all()
    assert worksheet.lock_version == 1
    # Reorder, edit the first, drop nothing; then drop one.
    worksheet = save(
        worksheet,
        author,
        [{"id": second.pk, **vague(verb="入力する")}, {"id": first.pk, **GOOD_STATEMENT}],
    )
    assert [(s.pk, s.position, s.verb) for s in worksheet.statements.all()] == [
        (second.pk, 1, "入力する"),
        (first.pk, 2, "照合する"),
    ]
    worksheet = save(worksheet, author, [{"id": first.pk, **GOOD_STATEMENT}])
    assert list(worksheet.statements.values_list("pk", flat=True)) == [first.pk]
    assert worksheet.lock_version == 3


def test_a_number_that_is_not_one_refuses_the_save_and_names_the_field(exercise, author):
    """B4: 「12k」 was saved as empty, silently; unknown choices still become empty (a select
    offers only known ones)."""
    from courses.svo.services import StatementFieldErrors

    worksheet = worksheet_for(user=author, exercise=exercise)
    with pytest.raises(StatementFieldErrors) as refused:
        save(worksheet, author, [{**GOOD_STATEMENT, "count_per_year": "12k"}])
    assert list(refused.value.errors) == [0]
    assert list(refused.value.errors[0]) == ["count_per_year"]
    assert not SvoStatement.objects.exists()
    save(worksheet, author, [{**GOOD_STATEMENT, "count_per_year": "１２，０００", "medium": "fax"}])
    statement = SvoStatement.objects.get(worksheet=worksheet)
    assert statement.count_per_year == 12000
    assert statement.medium == ""


def test_a_save_from_a_stale_copy_is_a_conflict_not_an_overwrite(exercise, author):
    worksheet = worksheet_for(user=author, exercise=exercise)
    save(worksheet, author, [GOOD_STATEMENT], lock_version=0)  # tab A
    with pytest.raises(WorksheetConflict) as conflict:
        save(worksheet, author, [vague()], lock_version=0)  # tab B, opened before A saved
    assert conflict.value.current_lock_version == 1
    assert list(SvoStatement.objects.values_list("verb", flat=True)) == ["照合する"]


def test_only_the_author_saves_and_submits(exercise, author):
    worksheet = worksheet_for(user=author, exercise=exercise)
    with pytest.raises(PermissionDenied):
        save(worksheet, UserFactory(), [GOOD_STATEMENT])
    with pytest.raises(PermissionDenied):
        worksheet_submit(worksheet_id=worksheet.pk, user=UserFactory())


def test_more_rows_than_the_exercise_allows_are_refused(exercise, author):
    worksheet = worksheet_for(user=author, exercise=exercise)
    with pytest.raises(ValidationError):
        save(worksheet, author, [GOOD_STATEMENT] * 5)


def test_hours_per_year_are_computed():
    statement = SvoStatement(count_per_year=1200, minutes_per_case=5)
    assert statement.hours_per_year == Decimal("100.0")
    assert SvoStatement(count_per_year=10).hours_per_year is None


# --- submit, checks, versions ----------------------------------------------------------------


def test_submit_needs_the_minimum_of_complete_statements(exercise, author):
    worksheet = worksheet_for(user=author, exercise=exercise)
    save(worksheet, author, [{**GOOD_STATEMENT, "purpose": ""}])
    with pytest.raises(ValidationError) as error:
        worksheet_submit(worksheet_id=worksheet.pk, user=author)
    assert len(error.value.messages) == 2  # too few, and statement 1 lacks its purpose
    worksheet.refresh_from_db()
    assert worksheet.status == WorksheetStatus.DRAFT


def test_findings_are_hints_and_never_block_submission(submitted):
    statements = list(submitted.statements.all())
    assert [s.findings for s in statements] == [[], ["verb_vague"]]
    assert submitted.status == WorksheetStatus.SUBMITTED
    assert submitted.version == 1
    version = SvoWorksheetVersion.objects.get(worksheet=submitted)
    assert [row["verb"] for row in version.statements] == ["照合する", "対応する"]


def test_a_submitted_worksheet_cannot_be_edited(submitted, author):
    with pytest.raises(WorksheetNotEditable):
        save(submitted, author, [GOOD_STATEMENT])


def test_submit_sends_worksheet_submitted_in_its_transaction(
    exercise, author, django_capture_on_commit_callbacks
):
    """What a receiver records commits with the submit: a failing receiver fails it."""
    received = []
    worksheet_submitted.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t1")
    try:
        worksheet = worksheet_for(user=author, exercise=exercise)
        save(worksheet, author, [GOOD_STATEMENT, GOOD_STATEMENT])
        with django_capture_on_commit_callbacks(execute=False):
            worksheet_submit(worksheet_id=worksheet.pk, user=author)
        assert [r["user"] for r in received] == [author]
        assert received[0]["fiscal_year"] == worksheet.fiscal_year
    finally:
        worksheet_submitted.disconnect(dispatch_uid="t1")


# --- review ----------------------------------------------------------------------------------


def decide(worksheet, reviewer, decision, **kwargs):
    return worksheet_review_decide(
        worksheet_id=worksheet.pk,
        reviewer=reviewer,
        decision=decision,
        version=kwargs.pop("version", worksheet.version),
        **kwargs,
    )


def test_return_revise_resubmit_approve_keeps_every_version(
    submitted, author, reviewer, django_capture_on_commit_callbacks
):
    returned, approved = [], []
    worksheet_returned.connect(lambda **kw: returned.append(kw), weak=False, dispatch_uid="r")
    worksheet_approved.connect(lambda **kw: approved.append(kw), weak=False, dispatch_uid="a")
    try:
        second = submitted.statements.get(position=2)
        with django_capture_on_commit_callbacks(execute=True):
            review = decide(
                submitted,
                reviewer,
                ReviewDecision.RETURNED,
                comment="2つ目の述語を具体的に",
                statement_comments={second.pk: "何をしているか具体的に書いてください", 999: "x"},
            )
        assert [c.text for c in review.comments.all()] == ["何をしているか具体的に書いてください"]
        worksheet = SvoWorksheet.objects.get(pk=submitted.pk)
        assert worksheet.status == WorksheetStatus.RETURNED
        assert len(returned) == 1 and returned[0]["review"] == review
        assert mail.outbox[-1].to == ["author@city.example.jp"]
        assert "2つ目の述語を具体的に" in mail.outbox[-1].body

        first = worksheet.statements.get(position=1)
        with django_capture_on_commit_callbacks(execute=True):
            worksheet = save(
                worksheet,
                author,
                [{"id": first.pk, **GOOD_STATEMENT}, {"id": second.pk, **vague(verb="入力する")}],
            )
            worksheet = worksheet_submit(worksheet_id=worksheet.pk, user=author)
        assert worksheet.version == 2
        assert second.comments.count() == 1  # the comment stays with its statement
        assert SvoStatement.objects.get(pk=second.pk).findings == []

        with django_capture_on_commit_callbacks(execute=True):
            decide(worksheet, reviewer, ReviewDecision.APPROVED)
        worksheet.refresh_from_db()
        assert worksheet.status == WorksheetStatus.APPROVED
        assert list(worksheet.versions.values_list("number", flat=True)) == [1, 2]
        assert len(approved) == 1
        assert len(mail.outbox) == 2
    finally:
        worksheet_returned.disconnect(dispatch_uid="r")
        worksheet_approved.disconnect(dispatch_uid="a")


def test_nobody_decides_on_their_own_worksheet(submitted, author):
    with pytest.raises(PermissionDenied):
        decide(submitted, author, ReviewDecision.APPROVED)
    assert not SvoReview.objects.exists()


def test_only_a_reviewer_of_the_author_decides(submitted, author):
    """The service asks org.access itself: a DX PRO of another unit, a plain colleague and
    HR where a DX PRO is appointed are refused, whoever the caller is."""
    from org.models import RoleGroup

    elsewhere = dx_pro_of(OrgUnitFactory.create())
    colleague = UserFactory(unit=author.unit)
    hr = UserFactory(groups=[RoleGroup.HR])
    dx_pro_of(author.unit)
    for outsider in (elsewhere, colleague, hr):
        with pytest.raises(PermissionDenied):
            decide(submitted, outsider, ReviewDecision.APPROVED)
    submitted.refresh_from_db()
    assert submitted.status == WorksheetStatus.SUBMITTED


def test_a_return_needs_a_comment(submitted, reviewer):
    with pytest.raises(ValidationError):
        decide(submitted, reviewer, ReviewDecision.RETURNED, comment="  ")


def test_the_second_decision_is_refused(submitted, reviewer):
    decide(submitted, reviewer, ReviewDecision.APPROVED)
    with pytest.raises(DecisionRefused):
        decide(submitted, dx_pro_of(submitted.user.unit), ReviewDecision.RETURNED, comment="遅れて")
    assert SvoReview.objects.count() == 1


def test_a_decision_on_a_replaced_version_is_refused(submitted, reviewer):
    with pytest.raises(DecisionRefused):
        decide(submitted, reviewer, ReviewDecision.APPROVED, version=submitted.version - 1)


def test_draft_worksheets_cannot_be_decided(exercise, author, reviewer):
    worksheet = worksheet_for(user=author, exercise=exercise)
    with pytest.raises(DecisionRefused):
        decide(worksheet, reviewer, ReviewDecision.APPROVED)


# serialized_rollback: Wagtail's root and home pages come from data migrations; a flush would
# remove them for the tests that follow.
@pytest.mark.postgresql  # SQLite has no row locks: the second writer fails "locked" instead
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_deciding_at_once_one_wins_the_other_is_told():
    course = make_course(lessons=1)["course"]
    exercise = make_svo_exercise(course, min_statements=1)
    unit = OrgUnitFactory.create()
    author = UserFactory(unit=unit)
    worksheet = worksheet_for(user=author, exercise=exercise)
    save(worksheet, author, [GOOD_STATEMENT])
    worksheet = worksheet_submit(worksheet_id=worksheet.pk, user=author)
    reviewers = [dx_pro_of(unit), dx_pro_of(unit)]
    barrier = threading.Barrier(2)
    outcomes = []

    def run(reviewer, decision):
        try:
            barrier.wait(timeout=5)
            decide(worksheet, reviewer, decision, comment="コメント")
            outcomes.append("won")
        except DecisionRefused:
            outcomes.append("told")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(reviewers[0], ReviewDecision.APPROVED)),
        threading.Thread(target=run, args=(reviewers[1], ReviewDecision.RETURNED)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes) == ["told", "won"]
    assert SvoReview.objects.filter(worksheet=worksheet).count() == 1


def test_the_sweep_stops_at_the_first_failed_e_mail_and_sends_on_the_next_run(submitted, reviewer):
    """The mail server is down: a sweep tries one decision and stops, queueing nothing; the
    next sweep, once the server is back, sends what waited."""
    from unittest import mock

    review = decide(submitted, reviewer, ReviewDecision.RETURNED, comment="主語を明確に")
    # An earlier version's decision, also never sent.
    SvoReview.objects.create(worksheet=submitted, version=review.version - 1, reviewer=reviewer,
                             decision=ReviewDecision.RETURNED)  # fmt: skip
    SvoReview.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    with mock.patch(
        "lms.notices.delivery.send_mail", side_effect=OSError("mail server down")
    ) as send:
        assert reviews_notify_sweep_task.apply().get() == 0
    assert send.call_count == 1 and mail.outbox == []
    assert not SvoReview.objects.filter(notified_at__isnull=False).exists()  # tried again
    assert reviews_notify_sweep_task.apply().get() == 2
    assert len(mail.outbox) == 2


# --- progress --------------------------------------------------------------------------------


def test_course_progress_reports_the_worksheet_only_for_courses_with_an_exercise(
    submitted, author, reviewer
):
    course = submitted.exercise.get_parent().specific
    assert course_progress(user=author, course=course).worksheet_approved is False
    decide(submitted, reviewer, ReviewDecision.APPROVED)
    assert course_progress(user=author, course=course).worksheet_approved is True
    other = make_course(title="別の研修", slug="other", lessons=1)["course"]
    assert course_progress(user=author, course=other).worksheet_approved is None


def test_a_decision_is_e_mailed_once_and_a_lost_one_by_the_sweep(submitted, reviewer):
    """The reviewer decides while the broker is down (the task never runs): the periodic
    sweep finds the decision after a while and sends it; a second delivery sends nothing."""
    review = decide(submitted, reviewer, ReviewDecision.RETURNED, comment="主語を明確に")
    assert mail.outbox == [] and review.notified_at is None
    assert reviews_to_notify() == []  # too fresh: its own task may still be on the way
    later = timezone.now() + dt.timedelta(minutes=5)
    assert reviews_to_notify(now=later) == [review.pk]
    SvoReview.objects.filter(pk=review.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert reviews_notify_sweep_task.apply().get() == 1  # eager in tests: sends at once
    assert len(mail.outbox) == 1 and "主語を明確に" in mail.outbox[0].body
    assert review_notify(review_id=review.pk) is False  # the late task: nothing twice
    assert len(mail.outbox) == 1
    assert reviews_to_notify(now=later) == []
    # A week-old decision is not sent any more.
    SvoReview.objects.filter(pk=review.pk).update(notified_at=None)
    assert reviews_to_notify(now=timezone.now() + dt.timedelta(days=8)) == []
