"""Which fiscal year a learner's work in a course counts for.

Reads, quiz attempts and worksheets are kept per fiscal year (``LessonRead.fiscal_year`` and
the others), so a course assigned again next year can be taken again. The year is the one of
the training the learner is doing, not always the calendar's: a certificate renewed before
it expires is an enrolment of the year it expires in, opened in March for an April expiry,
and what the person does for it in March must count for it.

Enrolments belong to ``lms``, above this app, so ``lms`` answers through the
``course_training_year`` Wagtail hook: ``hook(user_id=..., course_path=..., today=...)``
returns the fiscal year of the person's open enrolment in the course at ``course_path``
(one query), or None. Without an answer the year is the calendar's, ``fiscal_year_of``.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page

from core.fiscal import fiscal_year_of

HOOK = "course_training_year"


def course_path_of(page: Page) -> str:
    """The tree path of the course a part (lesson, quiz, exercise) sits in: its parent's."""
    return page.path[: -page.steplen]


def training_year(*, user_id: int, course_path: str, today: dt.date | None = None) -> int:
    """The fiscal year the work of ``user_id`` in the course at ``course_path`` counts for."""
    today = today or timezone.localdate()
    for hook in hooks.get_hooks(HOOK):
        year = hook(user_id=user_id, course_path=course_path, today=today)
        if year:
            return year
    return fiscal_year_of(today)
