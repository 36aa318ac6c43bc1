"""The record of one roster import: file, who, when, the preview's counts and errors."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.storage import private_storage


class RosterImport(models.Model):
    """One upload of HR's roster, from preview to apply.

    The uploaded file is kept so a Celery worker on another machine can read it, and so the
    import can be audited later. ``errors`` holds every bad line as
    ``{"line": n, "column": name, "message": text}``; ``progress`` is 0-100 for the page's bar.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        VALIDATING = "validating", _("Checking")
        PREVIEWED = "previewed", _("Ready to apply")
        INVALID = "invalid", _("Has errors")
        APPLYING = "applying", _("Applying")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", pgettext_lazy("roster import", "Cancelled")

    # Private: every name, e-mail address and employee number of the city (core.storage).
    file = models.FileField(_("file"), upload_to="roster/%Y/%m/", storage=private_storage)
    file_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    full_roster = models.BooleanField(
        _("full roster"),
        default=False,
        help_text=_("People missing from a full roster are deactivated."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    deactivated_count = models.PositiveIntegerField(_("deactivated"), default=0)
    units_created_count = models.PositiveIntegerField(_("units created"), default=0)
    units_renamed_count = models.PositiveIntegerField(_("units renamed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # Who the preview would deactivate (user ids, by employee number), so HR sees the names
    # before applying; and the count HR confirmed when that many needs a second confirmation.
    deactivated_ids = models.JSONField(
        _("people to deactivate"), default=list, blank=True, editable=False
    )
    confirmed_deactivations = models.PositiveIntegerField(
        _("deactivations confirmed"), null=True, blank=True, editable=False
    )
    failure_reason = models.TextField(_("failure reason"), blank=True)
    # Set by a preview that found nothing to write: a digest of the file, the options and the
    # rows the plan read. The apply compares it with the database as it is then and, if equal,
    # skips planning again (re-importing an unchanged roster is common and was slow).
    no_change_fingerprint = models.CharField(
        _("fingerprint of an unchanged preview"),
        max_length=64,
        blank=True,
        editable=False,
        db_default="",
    )

    class Meta:
        db_table = "lms_rosterimport"
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in {
            self.Status.PREVIEWED,
            self.Status.INVALID,
            self.Status.APPLIED,
            self.Status.FAILED,
            self.Status.CANCELLED,
        }
