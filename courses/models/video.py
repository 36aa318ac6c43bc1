"""Self-hosted video lessons: the uploaded video, the lesson page that shows it, and the
seconds each learner actually watched.

LGWAN-side terminals cannot reach video sites, so the files are ours: uploaded in the CMS as
a ``Video`` snippet, probed by a Celery task (``courses.video.tasks``: duration and a poster
frame by Debian's ffprobe/ffmpeg) and served by ``courses.video.views`` with HTTP range
requests, only to signed-in people who may see the lesson. The files live in the private
storage (``core.storage``), never in the public ``MEDIA_ROOT`` a deployment serves to anyone.

A ``VideoLessonPage`` IS a ``LessonPage`` (multi-table inheritance), so the completion rule,
HR's figures and the per-unit reports count it as a lesson without knowing about video: once
the merged seconds watched reach ``complete_percent`` of the duration, the lesson is recorded
read (``LessonRead.Via.VIDEO``) through the same service as a read lesson.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from core.storage import private_storage

from ..video.forms import VideoForm
from ..years import cycle_field
from .pages import LessonPage

VIDEO_EXTENSIONS = ["mp4", "webm"]


class VideoStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be processed")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be processed")


class Video(models.Model):
    """An uploaded video with its Japanese captions and transcript.

    ``duration_seconds`` and ``poster`` are set by the processing task, never by editors;
    ``processed_file`` is the file name the task last processed, so saving the snippet again
    without a new file queues nothing. Learners are served the video only once it is ready.
    """

    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(
        _("video file"),
        upload_to="videos/%Y/%m/",
        storage=private_storage,
        validators=[FileExtensionValidator(VIDEO_EXTENSIONS)],
        help_text=_("MP4 (H.264) or WebM (VP8/VP9)."),
    )
    captions = models.FileField(
        _("captions (WebVTT, Japanese)"),
        upload_to="videos/captions/%Y/%m/",
        storage=private_storage,
        blank=True,
        validators=[FileExtensionValidator(["vtt"])],
    )
    transcript = models.TextField(
        _("transcript"),
        blank=True,
        help_text=_("Shown beside the player, for people who cannot listen. One paragraph a line."),
    )
    poster = models.FileField(
        _("poster frame"), upload_to="videos/posters/", storage=private_storage, blank=True
    )
    duration_seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=VideoStatus.choices, default=VideoStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    processed_file = models.CharField(max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The CMS form (the panels are the snippet viewset's, ``courses.video.admin``).
    base_form_class = VideoForm

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")

    def __str__(self) -> str:
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.status == VideoStatus.READY and bool(self.duration_seconds)

    @property
    def content_type(self) -> str:
        return "video/mp4" if self.file.name.lower().endswith(".mp4") else "video/webm"

    def transcript_paragraphs(self) -> list[str]:
        return [line.strip() for line in self.transcript.splitlines() if line.strip()]


class VideoLessonPage(LessonPage):
    """A lesson whose content is one of our videos; done when N% of it was watched.

    Inherits the lesson's summary and text body (shown below the player); the guidebook
    chapters of a text lesson do not apply, nor does the "mark as read" button.
    """

    video = models.ForeignKey(
        Video,
        null=True,
        on_delete=models.PROTECT,
        related_name="lessons",
        verbose_name=_("video"),
    )
    complete_percent = models.PositiveSmallIntegerField(
        _("watched share that completes the lesson (%)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Seconds actually played count; skipping ahead does not. 90 lets people skip "
            "the closing credits."
        ),
    )

    read_by_button = False
    done_when = _("This lesson counts as done when you have watched the video.")
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("video"),
        FieldPanel("complete_percent"),
        FieldPanel("body"),
    ]
    search_fields = LessonPage.search_fields
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    template = "courses/video_lesson_page.html"

    class Meta:
        verbose_name = _("video lesson")

    def clean(self) -> None:
        super().clean()
        if self.video_id and self.video.status == VideoStatus.FAILED:
            raise ValidationError(
                {
                    "video": _("This video could not be processed: %(reason)s")
                    % {"reason": self.video.error}
                }
            )

    def seconds_to_complete(self) -> float | None:
        if self.video is None or not self.video.duration_seconds:
            return None
        return self.video.duration_seconds * self.complete_percent / 100


class VideoWatch(models.Model):
    """What one learner watched of one video lesson in a fiscal year.

    ``intervals`` are the merged, disjoint [start, end] seconds actually played, clamped to
    the duration (``courses.video.intervals``); ``watched_seconds`` is their length, kept so
    reports need not sum JSON. ``reported_at`` bounds the next report: nobody can have
    played more seconds than the wall clock allows since then. ``completed_at`` is set when
    the watched share first reached the lesson's ``complete_percent``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="video_watches"
    )
    lesson = models.ForeignKey(VideoLessonPage, on_delete=models.CASCADE, related_name="watches")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    cycle = cycle_field()
    intervals = models.JSONField(default=list)
    watched_seconds = models.FloatField(_("seconds watched"), default=0)
    position = models.FloatField(_("resume position (seconds)"), default=0)
    reported_at = models.DateTimeField(null=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("video watch")
        verbose_name_plural = _("video watches")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "fiscal_year", "cycle"],
                name="courses_videowatch_once_a_cycle",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.lesson_id} / {self.fiscal_year}"
