"""修了証: one certificate per completed enrollment, with a serial anyone can verify."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
