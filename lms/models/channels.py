"""Where a unit's reminders go in Microsoft Teams: the Workflows webhook of its channel."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.notices.transport import url_allowed


class UnitTeamsChannel(models.Model):
    """The Teams channel of one unit (and of the units under it that have none of their own).

    HR creates the webhook in Teams (Workflows: "Post to a channel when a webhook request is
    received") and pastes its address here. The address is a secret of sorts (whoever has it
    can post to the channel): it is shown only to HR, never logged.
    """

    unit = models.OneToOneField(
        "org.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="teams_channel",
    )
    webhook_url = models.URLField(
        _("Workflows webhook URL"),
        max_length=1000,
        help_text=_("The https address Teams gives the workflow that posts to the channel."),
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Teams channel")
        verbose_name_plural = _("Teams channels")

    def __str__(self) -> str:
        return str(self.unit)

    def clean(self) -> None:
        if self.webhook_url and not url_allowed(self.webhook_url):
            raise ValidationError({"webhook_url": _("Enter an https address.")})
