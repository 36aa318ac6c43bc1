"""修了証: one certificate per completed enrollment, with a serial anyone can verify."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import add_months


class Certificate(models.Model):
    """Proof of one completion. The serial is random (not guessable from another) and the
    public check page confirms it without showing more than course, year and date."""

    enrollment = models.OneToOneField(
        "lms.Enrollment",
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    serial = models.CharField(_("serial number"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    # When the holder was told (lms.notices.certificate); empty: not yet, or issued before
    # notices existed.
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.serial


def certificate_valid_until(
    *, completed_at: dt.datetime | None, valid_months: int | None
) -> dt.date | None:
    """When a completion's certificate expires: ``valid_months`` after the completion day.

    Counted from the completion, not from when the certificate is first asked for (which
    may be much later); ``Enrollment.record_completion`` stores it when the enrolment is
    completed, and the renewal job (``enrolment.cycles``) reads the stored day.
    """
    if not valid_months or completed_at is None:
        return None
    return add_months(timezone.localdate(completed_at), valid_months)
