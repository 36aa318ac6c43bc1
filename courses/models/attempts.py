"""What learners do: read lessons and attempt quizzes.

Both are counted per training period (fiscal year and cycle within it, ``courses.years``),
so that a course assigned again (next year, or every six months) can be taken again;
``lms`` decides which period matters for an enrollment.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..years import cycle_field
from .pages import LessonPage, QuizPage


class LessonRead(models.Model):
    """A learner has read a lesson in a fiscal year (once; later reads change nothing)."""

    class Via(models.TextChoices):
        BUTTON = "button", _("Marked as read")
        CHAPTERS = "chapters", _("Read the guidebook chapters")
        VIDEO = "video", _("Watched the video")
        SCORM = "scorm", _("Finished the SCORM package")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_reads"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="reads")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    cycle = cycle_field()
    via = models.CharField(_("how"), max_length=16, choices=Via.choices, default=Via.BUTTON)
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson read")
        verbose_name_plural = _("lesson reads")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "fiscal_year", "cycle"],
                name="courses_lessonread_once_a_cycle",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.lesson_id} / {self.fiscal_year}"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", pgettext_lazy("quiz attempt", "In progress")
    SUBMITTED = "submitted", _("Grading")
    MARKING = "marking", _("Awaiting marking")
    GRADED = "graded", _("Graded")
    ERROR = "error", _("Grading failed")


class QuizAttempt(models.Model):
    """One attempt of a learner at a quiz.

    ``questions`` is the snapshot taken at start: the drawn questions with their answers,
    fractions and feedback, the choice order shown, and opaque choice keys. Grading reads only
    the snapshot and ``rules`` (pass mark, review policy), never the bank or the live page, so
    a later edit cannot change this attempt's grade. ``revision`` records the quiz page
    revision the attempt started on. ``answers`` maps question keys to responses and is written
    only while the attempt is in progress.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    cycle = cycle_field()
    attempt_no = models.PositiveSmallIntegerField(_("attempt"))
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("quiz revision"),
    )
    questions = models.JSONField(_("questions as drawn"), default=list)
    rules = models.JSONField(_("rules as started"), default=dict)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AttemptStatus.choices,
        default=AttemptStatus.IN_PROGRESS,
    )
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=2, null=True)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2, null=True)
    passed = models.BooleanField(_("passed"), null=True)
    result = models.JSONField(_("result per question"), default=list, blank=True)
    error_reason = models.TextField(_("grading error"), blank=True)
    grading_tries = models.PositiveSmallIntegerField(_("grading tries"), default=0)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    deadline_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)
    enqueued_at = models.DateTimeField(_("last queued for grading"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "fiscal_year", "cycle", "attempt_no"],
                name="courses_attempt_number_unique",
            ),
            # At most one open attempt per learner and quiz: a double "start" resumes.
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(status="in_progress"),
                name="courses_attempt_one_open",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="courses_attempt_sweep_idx"),
            models.Index(
                fields=["user", "quiz", "fiscal_year", "cycle"], name="courses_attempt_user_idx"
            ),
            models.Index(
                fields=["submitted_at"],
                condition=Q(status="marking"),
                name="courses_attempt_marking_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.quiz_id} #{self.attempt_no} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS

    @property
    def is_graded(self) -> bool:
        return self.status == AttemptStatus.GRADED
