"""Reads for SCORM lessons: what a launch loads for the learner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models.scorm import ScormAttempt, ScormLessonPage
from ..years import course_path_of, training_period
from . import runtime

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def scorm_launch(*, user: AbstractBaseUser, lesson: ScormLessonPage) -> dict:
    """What the lesson page gives the runtime: the ``cmi`` to load (resuming the record of
    the period the learner's training counts for, ``courses.years``), and the learner's record
    (None before the first save). Data saved by another package (the editor uploaded a new
    zip since) is not loaded: its location means nothing to the new one, which starts afresh
    (one query once the package is loaded)."""
    package = lesson.package
    period = training_period(user_id=user.pk, course_path=course_path_of(lesson))
    attempt = ScormAttempt.objects.filter(user=user, lesson=lesson, **period.fields()).first()
    name = getattr(user, "display_name", "") or user.get_username()
    cmi = runtime.launch_data(
        saved=attempt.cmi if attempt and attempt.package_id == package.pk else None,
        is_2004=package.is_2004,
        learner_id=str(user.pk),
        learner_name=str(name)[:250],
        total_seconds=attempt.time_seconds if attempt else 0,
        mastery_score=package.mastery_score,
    )
    return {"cmi": cmi, "attempt": attempt}
