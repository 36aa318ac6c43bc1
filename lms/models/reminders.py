"""The log of reminder e-mails: one row per recipient, kind and day, so a re-run sends nothing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    DIGEST = "digest", _("Daily digest")
    ESCALATION = "escalation", _("Escalation to a manager or DX PRO")
    MANUAL = "manual", _("Reminder sent by HR")


class ReminderLog(models.Model):
    """A reminder e-mail sent (or being sent) to one person on one day (Asia/Tokyo).

    The row is written in the same transaction as the send: if the mail server refuses, the
    row goes too and the next run tries again; once committed, a re-run skips the person.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    sent_on = models.DateField(_("sent on"))
    items = models.PositiveIntegerField(_("items"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "sent_on"], name="reminderlog_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["sent_on", "kind"], name="reminderlog_day")]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.sent_on}"
