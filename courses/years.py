"""Which training period a learner's work in a course counts for.

Reads, quiz attempts, worksheets, SCORM attempts and video watches are kept per fiscal year
and per cycle within it (``LessonRead.fiscal_year`` and ``.cycle``, and the others), so a
course assigned again (next year, or every six months) can be taken again. A course that
recurs once a year, or not at all, has one cycle a year, number 0; one that recurs every N
months (N < 12) numbers the cycles that open within one fiscal year 0, 1, … in order.

The period is the one of the training the learner is doing, not always the calendar's: a
certificate renewed before it expires is an enrolment of the year it expires in, opened in
March for an April expiry, and what the person does for it in March must count for it.

Enrolments belong to ``lms``, above this app, so ``lms`` answers through the
``course_training_year`` Wagtail hook: ``hook(user_id=..., course_path=..., today=...)``
returns the ``Period`` of the person's open enrolment in the course at ``course_path`` (one
query), or None. Without an answer the period is the calendar's year, cycle 0.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page

from core.fiscal import fiscal_year_of

HOOK = "course_training_year"


class Period(NamedTuple):
    """A training period: the fiscal year and the cycle within it (0 for the first)."""

    fiscal_year: int
    cycle: int = 0

    def fields(self) -> dict[str, int]:
        """The keyword arguments that select or create a record of this period."""
        return {"fiscal_year": self.fiscal_year, "cycle": self.cycle}


def cycle_field() -> models.PositiveSmallIntegerField:
    """The ``cycle`` column every per-period record carries beside ``fiscal_year``."""
    return models.PositiveSmallIntegerField(
        _("cycle in the fiscal year"),
        default=0,
        db_default=0,
        help_text=_("0 for the first cycle of a fiscal year; 1, 2, … for later ones."),
    )


def latest_cycle(later_cycles: QuerySet, *, same: tuple[str, ...]) -> ExpressionWrapper:
    """True for the rows no later cycle supersedes: none of ``later_cycles`` (the rows of
    cycle > 0 that may supersede, of the same model) shares their ``same`` fields with a
    higher cycle. Usable in ``filter()`` and ``annotate()``.

    No query of its own, and nothing per row while no later cycle exists at all (the usual
    case: an uncorrelated check PostgreSQL runs once, on an index of later cycles).
    Otherwise one probe per row: never an anti-join, which the planner, misled by the
    statistics of rows just written, once ran as a scan of the whole course per row.
    """
    later = later_cycles.filter(cycle__gt=OuterRef("cycle"), **{f: OuterRef(f) for f in same})
    return ExpressionWrapper(
        Q(~Exists(later_cycles)) | Q(~Exists(later)), output_field=BooleanField()
    )


def course_path_of(page: Page) -> str:
    """The tree path of the course a part (lesson, quiz, exercise) sits in: its parent's."""
    return page.path[: -page.steplen]


def training_period(*, user_id: int, course_path: str, today: dt.date | None = None) -> Period:
    """The period the work of ``user_id`` in the course at ``course_path`` counts for."""
    today = today or timezone.localdate()
    for hook in hooks.get_hooks(HOOK):
        period = hook(user_id=user_id, course_path=course_path, today=today)
        if period:
            return Period(*period)
    return Period(fiscal_year_of(today), 0)
