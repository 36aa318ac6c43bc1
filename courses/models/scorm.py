"""SCORM 1.2 and 2004 packages as lessons of a course.

``ScormLessonPage`` IS a ``LessonPage`` (multi-table inheritance), so the completion rule,
HR's figures and the reading report count it like any lesson: once the learner's runtime data
meets the rule the editor chose, the lesson is recorded read (``LessonRead.Via.SCORM``)
through ``courses.services.lesson_read_record``, which sends ``courses.signals.lesson_read``.

``ScormPackage`` is the uploaded zip (private storage) and the files extracted from it under
``scorm/<key>/`` in the same storage; a view that checks the learner may see the lesson sends
them. ``ScormAttempt`` is one learner's runtime data (``cmi``) for a lesson in a fiscal year,
written on every commit and on unload; the statuses and score beside it are derived on the
server from ``cmi`` (``courses.scorm.runtime``), never taken from the browser as a verdict.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from core.storage import private_storage

from ..years import cycle_field
from .pages import LessonPage


class ScormVersion(models.TextChoices):
    SCORM_12 = "1.2", "SCORM 1.2"
    SCORM_2004_3 = "2004-3", _("SCORM 2004 3rd Edition")
    SCORM_2004_4 = "2004-4", _("SCORM 2004 4th Edition")


def _package_upload_to(instance: ScormPackage, filename: str) -> str:
    return f"scorm/{instance.key}/package.zip"


class ScormPackage(models.Model):
    """An uploaded SCORM package: the zip as uploaded and its files, extracted after the zip
    and its manifest passed every check (``courses.scorm.package``). Never changed after
    upload: a new version of a course is a new package, so a revision of the lesson that
    names the old one still runs it."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255, blank=True)
    file = models.FileField(
        _("package zip"), upload_to=_package_upload_to, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    version = models.CharField(_("SCORM version"), max_length=8, choices=ScormVersion.choices)
    launch_path = models.CharField(_("launch file"), max_length=1000)
    launch_query = models.CharField(_("launch parameters"), max_length=1000, blank=True)
    mastery_score = models.PositiveSmallIntegerField(
        _("mastery score in the manifest"), null=True, blank=True
    )
    # The same zip uploaded again (Wagtail's autosave posts the editor's form, file included,
    # while the zip is still selected) is the same package, not a copy: looked up by this.
    sha256 = models.CharField(_("SHA-256 of the zip"), max_length=64, db_index=True, blank=True)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    size = models.PositiveBigIntegerField(_("size unzipped (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")

    def __str__(self) -> str:
        return f"{self.title or self.original_name} ({self.get_version_display()})"

    @property
    def folder(self) -> str:
        """Where its files are in private storage."""
        return f"scorm/{self.key}/files"

    @property
    def is_2004(self) -> bool:
        return self.version != ScormVersion.SCORM_12


class ScormRule(models.TextChoices):
    COMPLETED = "completed", _("The package reports it completed (or passed)")
    PASSED = "passed", _("The package reports it passed")
    SCORE = "score", _("The score reaches the threshold")


class ScormLessonPage(LessonPage):
    """A lesson that runs a SCORM package in a frame of its own, with the runtime bundled
    with the site (scorm-again). The "mark as read" button does not apply: the lesson counts
    as read once the package's data meets ``rule`` (``courses.scorm.services``)."""

    package = models.ForeignKey(
        ScormPackage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
        verbose_name=_("SCORM package"),
    )
    rule = models.CharField(
        _("the lesson is done when"),
        max_length=16,
        choices=ScormRule.choices,
        default=ScormRule.COMPLETED,
    )
    pass_score = models.PositiveSmallIntegerField(
        _("score threshold (%)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Used when the lesson is done at a score: the package's score in percent."),
    )

    read_by_button = False
    # The runtime data to resume from comes from the ``scorm_launch_for_me`` template tag,
    # so that the page model does not depend on the selectors.
    content_panels = [
        *LessonPage.content_panels[:3],
        FieldPanel("package_upload"),
        MultiFieldPanel(
            [FieldPanel("rule"), FieldRowPanel([FieldPanel("pass_score")])],
            heading=_("Completion"),
        ),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    template = "courses/scorm_lesson_page.html"

    class Meta:
        verbose_name = _("SCORM lesson")


class ScormAttempt(models.Model):
    """One learner's runtime data for a SCORM lesson in a fiscal year.

    ``cmi`` is the data model as the runtime last sent it (capped in size). The statuses,
    ``score`` (percent), ``location`` and the time are derived from it on the server.
    ``session_key`` and ``sequence`` order the saves of one launch, so a late save of a page
    being closed cannot overwrite a newer one; the time of earlier launches is folded into
    ``total_seconds`` when a new launch first saves. ``done_at`` is set once the lesson's
    rule held (the ``LessonRead`` was recorded then).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scorm_attempts"
    )
    lesson = models.ForeignKey(
        ScormLessonPage, on_delete=models.CASCADE, related_name="scorm_attempts"
    )
    package = models.ForeignKey(
        ScormPackage, on_delete=models.PROTECT, related_name="attempts", null=True
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    cycle = cycle_field()
    cmi = models.JSONField(_("runtime data"), default=dict, blank=True)
    lesson_status = models.CharField(_("lesson status (1.2)"), max_length=16, blank=True)
    completion_status = models.CharField(_("completion status"), max_length=16, blank=True)
    success_status = models.CharField(_("success status"), max_length=16, blank=True)
    score = models.DecimalField(
        _("score (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    location = models.CharField(_("location"), max_length=1000, blank=True)
    total_seconds = models.PositiveIntegerField(_("time of earlier launches (s)"), default=0)
    session_seconds = models.PositiveIntegerField(_("time of the last launch (s)"), default=0)
    session_key = models.CharField(max_length=64, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    commits = models.PositiveIntegerField(_("saves"), default=0)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        constraints = [
            # One record per learner, lesson and training period: a course assigned again
            # (next year, or its next cycle) starts afresh, this period's launches resume.
            models.UniqueConstraint(
                fields=["user", "lesson", "fiscal_year", "cycle"],
                name="courses_scormattempt_once_a_cycle",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} / {self.lesson_id} / {self.fiscal_year}"

    @property
    def time_seconds(self) -> int:
        return self.total_seconds + self.session_seconds
