"""The log of reminder e-mails: one row per recipient, kind and day, so a re-run sends nothing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    DIGEST = "digest", _("Daily digest")
    ESCALATION = "escalation", _("Escalation to a manager or DX PRO")
    MANUAL = "manual", _("Reminder sent by HR")


class ReminderChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    TEAMS = "teams", _("Microsoft Teams")
    LINEWORKS = "lineworks", _("LINE WORKS")


class ReminderLog(models.Model):
    """A reminder sent (or being sent) to one person on one day (Asia/Tokyo), by one channel.

    The row is written in the same transaction as the send: if the mail server refuses, the
    row goes too and the next run tries again; once committed, a re-run skips the person.
    One row per person, kind and day whatever the channel, so a chat message and an e-mail
    never both go out. ``channel`` is how it reached them; ``failure`` why a chat channel
    did not (the e-mail then went instead).
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
    channel = models.CharField(
        _("channel"), max_length=16, choices=ReminderChannel.choices, default=ReminderChannel.EMAIL
    )
    failure = models.CharField(_("channel failure"), max_length=300, blank=True)
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
