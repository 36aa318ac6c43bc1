"""Reads of a learner's own training: what "my training" shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from core.fiscal import fiscal_year_of

from ..models import Enrollment, EnrollmentStatus, User, in_current_cycle


@dataclass
class MyTraining:
    """A learner's enrollments split for the page: to do (soonest due first) and completed."""

    to_do: list[Enrollment] = field(default_factory=list)
    completed: list[Enrollment] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.to_do and not self.completed


def my_training(*, user: User) -> MyTraining:
    """The user's enrollments of every year except withdrawn ones (one query).

    Each open enrollment gets ``overdue`` and ``days_left`` for the template. Open enrollments
    of a closed fiscal year are not "to do" any more: they stay in that year's figures, and
    HR assigns the course again for the new year (reminders skip them too); nor are those
    of a cycle the next cycle of the same year has superseded (a six-month course in
    October: the October cycle is the one to do).
    """
    today = timezone.localdate()
    this_year = fiscal_year_of(today)
    enrollments = (
        Enrollment.objects.filter(user_id=user.pk)
        .exclude(status=EnrollmentStatus.WITHDRAWN)
        .select_related("course")
        .annotate(current=in_current_cycle())
        .order_by("due_on", "-fiscal_year", "course__title")
    )
    training = MyTraining()
    for enrollment in enrollments:
        if enrollment.status == EnrollmentStatus.COMPLETED:
            training.completed.append(enrollment)
            continue
        if enrollment.fiscal_year < this_year or not enrollment.current:
            continue
        enrollment.overdue = enrollment.is_overdue(today)
        enrollment.days_left = (enrollment.due_on - today).days if enrollment.due_on else None
        training.to_do.append(enrollment)
    training.completed.sort(key=lambda e: e.completed_at, reverse=True)
    latest: set[int] = set()
    for enrollment in training.completed:
        enrollment.certificate_state = _certificate_state(
            enrollment, today=today, latest=enrollment.course_id not in latest
        )
        latest.add(enrollment.course_id)
    return training


#: How long before its last day a certificate is shown as about to expire.
EXPIRES_SOON_DAYS = 30


def _certificate_state(enrollment: Enrollment, *, today: dt.date, latest: bool) -> str:
    """What My training says of a completion's validity: "" (no end, or far off),
    "renewed" (a later completion of the course replaces it), "expired" or "expires_soon"."""
    valid_until = enrollment.certificate_valid_until
    if valid_until is None:
        return ""
    if not latest:
        return "renewed"
    if valid_until < today:
        return "expired"
    if (valid_until - today).days <= EXPIRES_SOON_DAYS:
        return "expires_soon"
    return ""
