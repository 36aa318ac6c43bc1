"""The completion engine: an enrollment follows the course's completion rule.

The courses app announces events (a lesson read, a batch of attempts graded, a worksheet
submitted or approved) through ``courses.signals``; ``lms.completion.receivers`` records for
each a task that calls ``enrollments_evaluate`` here. The rule itself is the course's
(``courses.selectors.CourseProgress.is_complete``); this module applies it to enrollments.
A completion is never undone by a later event, and it records the unit the person sat in at
that moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.queue import enqueue_on_commit
from courses.models import (
    CoursePage,
)
from courses.selectors import CourseProgress, learners_progress
from courses.years import Period

from ..models import Enrollment, EnrollmentStatus, User
from ..my_training import cache as caching
from . import figures as stats


@dataclass(frozen=True)
class EvaluationResult:
    """What an evaluation changed; ``stat_unit_id`` is the unit whose figures to recount."""

    enrollment_id: int | None
    changed: bool
    stat_unit_id: int | None = None
    course_id: int | None = None
    fiscal_year: int | None = None


def _follow_progress(
    enrollment: Enrollment, progress: CourseProgress, *, unit_id, now, valid_months
) -> bool:
    """Move an open enrollment along the learner's progress; whether it changed."""
    before = (enrollment.status, enrollment.progress)
    enrollment.progress = progress.percent
    if progress.is_complete:
        enrollment.record_completion(at=now, unit_id=unit_id, valid_months=valid_months)
    elif progress.started:
        enrollment.status = EnrollmentStatus.IN_PROGRESS
        enrollment.started_at = enrollment.started_at or now
    else:
        # Nothing done in the course: 「未受講」, never 「受講中」 at 0% (UX review B20).
        enrollment.status = EnrollmentStatus.NOT_STARTED
        enrollment.started_at = None
    if (enrollment.status, enrollment.progress) == before:
        return False
    enrollment.updated_at = now
    return True


def enrollment_evaluate(
    *, user_id: int, course_id: int, fiscal_year: int, cycle: int = 0
) -> EvaluationResult:
    """Bring one enrollment in line with the learner's progress (idempotent).

    People without an enrollment for the course and period, withdrawn and completed ones
    are left alone: a completion is never erased by a later event. ``enrollments_evaluate``
    for one learner.
    """
    results = enrollments_evaluate(
        course_id=course_id, fiscal_year=fiscal_year, cycle=cycle, user_ids=[user_id]
    )
    return results[0] if results else EvaluationResult(enrollment_id=None, changed=False)


#: The fields ``_follow_progress`` may change.
_FOLLOWED_FIELDS = [
    "status",
    "progress",
    "completed_at",
    "unit_at_completion",
    "certificate_valid_until",
    "started_at",
    "updated_at",
]


@transaction.atomic
def enrollments_evaluate(
    *, course_id: int, fiscal_year: int, user_ids: Iterable[int], cycle: int = 0
) -> list[EvaluationResult]:
    """Bring the open enrollments of ``user_ids`` in one course and training period (fiscal
    year and cycle, ``courses.years``) in line with their progress in it (idempotent): one
    event's learner, or the events of a grading batch, evaluated in the worker that graded
    them.

    One transaction; the course, its parts and the people's units are read once for all the
    learners, the changed enrollments written by one UPDATE, and the cache of "my training"
    told once (``post_save`` does not run for a bulk update).
    """
    enrollments = list(
        Enrollment.objects.select_for_update()
        .filter(user_id__in=user_ids, course_id=course_id, fiscal_year=fiscal_year, cycle=cycle)
        .order_by("pk")  # the same lock order everywhere: no deadlock between two batches
    )
    results = [
        EvaluationResult(enrollment_id=e.pk, changed=False) for e in enrollments if not e.is_open
    ]
    enrollments = [e for e in enrollments if e.is_open]
    if not enrollments:
        return results
    user_ids = [e.user_id for e in enrollments]
    units = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "unit_id"))
    course = CoursePage.objects.get(pk=course_id)
    progresses = learners_progress(
        user_ids=user_ids, course=course, period=Period(fiscal_year, cycle)
    )
    now = timezone.now()
    changed = []
    for enrollment in enrollments:
        unit_id = units.get(enrollment.user_id)
        progress = progresses[enrollment.user_id]
        if not _follow_progress(
            enrollment,
            progress,
            unit_id=unit_id,
            now=now,
            valid_months=course.certificate_valid_months,
        ):
            results.append(EvaluationResult(enrollment_id=enrollment.pk, changed=False))
            continue
        changed.append(enrollment)
        results.append(
            EvaluationResult(
                enrollment_id=enrollment.pk,
                changed=True,
                stat_unit_id=unit_id,
                course_id=course_id,
                fiscal_year=fiscal_year,
            )
        )
    if changed:
        # One UPDATE for the batch; what the rows' post_save would have told the cache of
        # "my training", told once for all of them.
        Enrollment.objects.bulk_update(changed, _FOLLOWED_FIELDS)
        caching.my_training_changed(user_ids=[e.user_id for e in changed])
        if course.certificate:
            _certificates_notify_on_commit(
                [e.pk for e in changed if e.status == EnrollmentStatus.COMPLETED]
            )
    return results


def _certificates_notify_on_commit(enrollment_ids: list[int]) -> None:
    """Issue the certificates of these completions and tell their holders, after the commit
    (``lms.notices.certificate``): one piece of work for the batch, however many completed;
    the periodic sweep catches it if lost."""
    from ..tasks import certificates_notify_task  # the tasks module imports this one

    if enrollment_ids:
        enqueue_on_commit(certificates_notify_task, sorted(enrollment_ids))


def enrollments_evaluate_many(keys: Iterable[Iterable[int]]) -> int:
    """Evaluate the enrollments ``keys`` (``(user, course, year, cycle)``, a grading batch's;
    a key of three, queued before cycles existed, is the year's first cycle) course by
    course, then recount the units whose figures changed; return how many enrollments
    changed."""
    learners: dict[tuple[int, int, int], set[int]] = {}
    for user_id, course_id, fiscal_year, *cycle in keys:
        learners.setdefault((course_id, fiscal_year, cycle[0] if cycle else 0), set()).add(user_id)
    units: set[tuple[int, int, int]] = set()
    changed = 0
    for (course_id, fiscal_year, cycle), user_ids in sorted(learners.items()):
        for result in enrollments_evaluate(
            course_id=course_id, fiscal_year=fiscal_year, cycle=cycle, user_ids=user_ids
        ):
            if result.changed:
                changed += 1
                if result.stat_unit_id is not None:
                    units.add((result.stat_unit_id, course_id, fiscal_year))
    stats.units_stats_refresh(keys=units)
    return changed
