"""Reading analytics: who read which chapter, for how long, and to the end or not."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChapterRead(models.Model):
    """One person's reading of one chapter, accumulated over every visit.

    One row per (user, chapter), updated in place: the DX office's figures need "has read",
    "how long in total" and "ever reached the end", not a log of every scroll. Active time
    counts only while the page is visible and the reader is doing something (the script
    decides), and the service caps what one report may add.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.CASCADE,
        related_name="chapter_reads",
    )
    page = models.ForeignKey(
        "content.ChapterPage",
        verbose_name=_("chapter"),
        on_delete=models.CASCADE,
        related_name="reads",
    )
    first_read_at = models.DateTimeField(_("first read at"), default=timezone.now)
    last_read_at = models.DateTimeField(_("last read at"), default=timezone.now)
    active_seconds = models.PositiveIntegerField(_("active reading time (seconds)"), default=0)
    reached_end = models.BooleanField(_("reached the end"), default=False)
    read_count = models.PositiveIntegerField(
        _("visits"), default=1, help_text=_("How many separate visits were recorded.")
    )

    class Meta:
        verbose_name = _("chapter read")
        verbose_name_plural = _("chapter reads")
        constraints = [
            models.UniqueConstraint(fields=["user", "page"], name="chapterread_unique_user_page")
        ]
        indexes = [models.Index(fields=["page", "user"], name="chapterread_page_user")]

    def __str__(self) -> str:
        return f"{self.user_id} / {self.page_id}"
