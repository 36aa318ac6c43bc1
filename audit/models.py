"""The audit log: one append-only row per action of HR or a reviewer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What was done. Codes are stable: reports and filters keep working across releases."""

    ROSTER_UPLOADED = "roster.uploaded", _("Roster uploaded for checking")
    ROSTER_APPLY_REQUESTED = "roster.apply_requested", _("Roster import applied")
    ROSTER_APPLIED = "roster.applied", _("Roster import finished")
    ROSTER_CANCELLED = "roster.cancelled", _("Roster import cancelled")
    ROSTER_DOWNLOADED = "roster.downloaded", _("Roster file downloaded")
    ASSIGNMENT_CREATED = "assignment.created", _("Course assigned")
    ASSIGNMENT_CANCELLED = "assignment.cancelled", _("Assignment cancelled")
    EXPORT_CSV = "export.csv", _("Exported as CSV")
    EXPORT_XLSX = "export.xlsx", _("Exported as Excel")
    REMINDER_SENT = "reminder.sent", _("Reminders sent")
    WORKSHEET_APPROVED = "worksheet.approved", _("Worksheet approved")
    WORKSHEET_RETURNED = "worksheet.returned", _("Worksheet returned")
    ATTEMPT_MARKED = "attempt.marked", _("Essay answers marked")
    DX_PRO_APPOINTED = "role.dx_pro_appointed", _("DX PRO appointed")
    DX_PRO_REMOVED = "role.dx_pro_removed", _("DX PRO appointment removed")
    MANAGER_APPOINTED = "role.manager_appointed", _("Manager appointed")
    MANAGER_REMOVED = "role.manager_removed", _("Manager appointment removed")
    GROUP_ADDED = "role.group_added", _("Added to a role group")
    GROUP_REMOVED = "role.group_removed", _("Removed from a role group")
    SIGN_IN_REFUSED = "sign_in.refused", _("Sign-in refused")
    ACTIVATION_ISSUED = "activation.issued", _("Activation codes issued")
    ACTIVATION_PRINTED = "activation.printed", _("Activation slips printed")
    ACTIVATION_USED = "activation.used", _("Activation code used")
    REPORT_SCHEDULED = "report.scheduled", _("Report scheduled")
    REPORT_SCHEDULE_CHANGED = "report.schedule_changed", _("Scheduled report changed")
    REPORT_SCHEDULE_DELETED = "report.schedule_deleted", _("Scheduled report deleted")


class AuditEventQuerySet(models.QuerySet):
    """Reads only: bulk updates and deletes are refused like single ones."""

    def update(self, **kwargs):
        raise AuditLogImmutable(_("Audit events cannot be changed."))

    def delete(self):
        raise AuditLogImmutable(_("Audit events cannot be deleted."))

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogImmutable(_("Audit events cannot be changed."))


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEvent(models.Model):
    """Who did what to which record, when, in which unit: written once, never changed.

    Written only by ``audit.services.record``. The row holds ids and codes, never names or
    e-mail addresses: ``details`` is a small JSON of counts, years and states. It refuses
    updates and deletes in ``save()``/``delete()`` and its queryset; on PostgreSQL a trigger
    (migration 0002) refuses them in the database too, whoever connects.

    The person and unit are foreign keys without a database constraint and with
    ``DO_NOTHING``: the log must neither block nor be rewritten by changes elsewhere (people
    are deactivated, not deleted, so the reference stays good in practice).
    """

    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        help_text=_("Empty when the system acted (a scheduled or background task)."),
    )
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    target_type = models.CharField(_("target type"), max_length=60, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-pk"]
        # Only "view": no add, change or delete permission exists to be granted in any admin.
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["action", "-occurred_at"], name="audit_action_time"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable(_("Audit events cannot be changed."))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable(_("Audit events cannot be deleted."))
