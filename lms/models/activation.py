"""One-time activation codes: the first sign-in of staff who have no e-mail and no directory.

HR issues a sheet of slips (``ActivationIssue``) for a unit or a list of people; each slip
carries one person's code (``ActivationCode``). Only a salted PBKDF2 hash of a code is kept:
the plain code exists in memory while the PDF of the sheet is made, and on the paper.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActivationIssue(models.Model):
    """One sheet of slips HR issued: who, when, for which unit (none: a pasted list), and for
    how many people. HR's list of recent issues reads these with the codes' use counted."""

    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the slips were issued for a list of employee numbers."),
    )
    people_count = models.PositiveIntegerField(_("people"), default=0)

    class Meta:
        verbose_name = _("activation code issue")
        verbose_name_plural = _("activation code issues")
        ordering = ["-issued_at", "-pk"]
        # HR's list shows the newest issues first.
        indexes = [models.Index(fields=["-issued_at"], name="activationissue_time")]

    def __str__(self) -> str:
        return f"{self.issued_at:%Y-%m-%d %H:%M} ({self.people_count})"


class ActivationCode(models.Model):
    """A person's one-time code for the first sign-in (or a sign-in after a forgotten
    password, for staff without e-mail).

    Invariants: at most one open code (neither used nor revoked) per person, held by the
    partial unique constraint, because issuing again revokes the open one in the same
    transaction; a code is good only before ``expires_at`` and only once (``used_at`` is set
    when the person has set a password with it).
    """

    issue = models.ForeignKey(
        ActivationIssue,
        verbose_name=_("issue"),
        on_delete=models.CASCADE,
        related_name="codes",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="activation_codes",
    )
    # Django's PBKDF2 encoding (algorithm$iterations$salt$hash), a fresh salt for each code.
    code_hash = models.CharField(_("code hash"), max_length=128)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="activationcode_one_open_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.expires_at:%Y-%m-%d}"

    def is_usable(self, now=None) -> bool:
        """Neither used nor revoked, and not expired."""
        now = now or timezone.now()
        return self.used_at is None and self.revoked_at is None and now < self.expires_at
