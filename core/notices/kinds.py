"""The kinds of notice the product sends, each with its own editable template."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    ASSIGNMENT = "assignment", _("Course assigned")
    REMINDER = "reminder", _("Request to take training: due soon and overdue (daily)")
    REMINDER_MANUAL = "reminder_manual", _("Request to take training: sent by HR or a manager")
    ESCALATION = "escalation", _("Overdue staff: to managers and DX PROs")
    REVIEW_APPROVED = "review_approved", _("SVO worksheet approved")
    REVIEW_RETURNED = "review_returned", _("SVO worksheet returned")
    CERTIFICATE = "certificate", _("Certificate issued")
    SCHEDULED_REPORT = "scheduled_report", _("Scheduled report of names (to the people HR chose)")
