"""Receivers of the events lms listens to: course progress and roster imports.

Each receiver runs inside the transaction that records its event and records the work the
event needs through ``core.queue`` (a row in the database, sent to a worker once the
transaction commits, swept when lost): the work commits with the event or not at all, and a
broker outage delays a completion and loses none. A database error is not caught here: it
fails the event's transaction, which is then not recorded either. Evaluations of one learner
in one course and year are one piece of work however many events ask for it; a grading batch
is one evaluation task for all its learners (``attempts_graded``). The one exception is a
roster apply: joiners, movers and leavers are enrolled or withdrawn in its transaction
(set-based), and only the recount of the figures waits for the commit.
"""

from __future__ import annotations

from django.conf import settings
from django.dispatch import receiver

from core.queue import enqueue_on_commit
from courses.signals import attempts_graded, lesson_read, worksheet_approved, worksheet_submitted
from org.signals import roster_applied

from ..enrolment.fan_out import enrollments_sync_for_active_assignments
from ..tasks import (
    assignment_notices_enqueue_pending,
    enrollment_evaluate_task,
    enrollments_evaluate_batch_task,
    enrollments_sync_task,
    stats_rebuild_task,
)


def _evaluate(user_id: int, course_id: int, fiscal_year: int, cycle: int) -> None:
    enqueue_on_commit(
        enrollment_evaluate_task,
        user_id,
        course_id,
        fiscal_year,
        cycle,
        key=f"{user_id}:{course_id}:{fiscal_year}:{cycle}",
    )


@receiver(lesson_read, dispatch_uid="lms.completion.lesson_read")
def on_lesson_read(sender, *, user, course, fiscal_year, cycle, **kwargs) -> None:
    """A lesson was read: the enrollment may start or complete."""
    _evaluate(user.pk, course.pk, fiscal_year, cycle)


@receiver(attempts_graded, dispatch_uid="lms.completion.attempts_graded")
def on_attempts_graded(sender, *, keys, **kwargs) -> None:
    """A batch of quiz attempts was graded: their enrollments may start (a failed quiz too)
    or complete; one task evaluates the whole batch."""
    enqueue_on_commit(enrollments_evaluate_batch_task, [list(key) for key in keys])


@receiver(worksheet_submitted, dispatch_uid="lms.completion.worksheet_submitted")
@receiver(worksheet_approved, dispatch_uid="lms.completion.worksheet_approved")
def on_worksheet_event(sender, *, user, exercise, fiscal_year, cycle, **kwargs) -> None:
    """An SVO worksheet was submitted or approved: the enrollment may start or complete."""
    _evaluate(user.pk, exercise.get_parent().pk, fiscal_year, cycle)


@receiver(roster_applied, dispatch_uid="lms.completion.roster_applied")
def on_roster_applied(
    sender, *, roster_import_id, people_changed=True, people_count=0, **kwargs
) -> None:
    """People joined, moved or left: give them what the active assignments say, in the
    apply's own transaction, so a new hire or a transfer is enrolled (with their own due
    date under a relative rule) or withdrawn together with the roster change that made it,
    or not at all. Set-based (a few statements per active assignment, whatever the number of
    people); the figures of the courses touched are recounted after the commit. An apply
    that wrote nothing changes no enrollment, so it costs nothing here."""
    if not people_changed:
        return
    if people_count > settings.ROSTER_ENROL_IN_APPLY_MAX:
        # A city's first import or a reorganisation: millions of enrolment rows would hold
        # the apply's transaction for minutes. The work is recorded in it instead (core.queue:
        # swept until done), and the worker enrols everyone right after the commit.
        enqueue_on_commit(enrollments_sync_task, key="roster")
        return
    for course_id, fiscal_year in enrollments_sync_for_active_assignments():
        enqueue_on_commit(
            stats_rebuild_task, fiscal_year, course_id, key=f"{fiscal_year}:{course_id}"
        )
    # Joiners and movers enrolled just now are told of their courses after the commit.
    assignment_notices_enqueue_pending()
