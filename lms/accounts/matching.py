"""Who a sign-in from outside is: a person of the roster, never a new account.

OpenID Connect (``lms.accounts.oidc``) and the city's directory (``lms.accounts.ldap``) both
end here. A provider vouches for someone; this module decides which person of ours that is,
by the 職員番号 spelt as the roster import spells it (``org.people.normalize_employee_number``),
or by the e-mail address only when the city asked for it (``OIDC_MATCH_EMAIL``) and only on
one verified address that belongs to exactly one person. Nobody is ever created here: a
person who is not an active member of the roster is refused with a reason, and the refusal is
written to the audit log (without the number or address tried: the log keeps no personal
data).
"""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import record
from core.mail import signature_context
from org.people import normalize_employee_number

from ..models import User


class Refusal(models.TextChoices):
    """Why an outside sign-in found no person to sign in as. Codes stay stable for the log."""

    MISSING_CLAIM = "missing_claim", _("The sign-in did not say who you are")
    UNKNOWN = "unknown", _("You are not on the staff roster of this site")
    INACTIVE = "inactive", _("Your account is no longer active")
    EMAIL_UNVERIFIED = "email_unverified", _("Your e-mail address is not confirmed")
    EMAIL_AMBIGUOUS = "email_ambiguous", _("Your e-mail address belongs to more than one person")


#: What the person can do about each refusal, shown under the title.
ADVICE = {
    Refusal.MISSING_CLAIM: _(
        "Your organisation account did not send your employee number. Ask the IT help desk "
        "to add the employee number to the account, then sign in again."
    ),
    Refusal.UNKNOWN: _(
        "Your employee number was not found among the staff HR has registered. New staff "
        "can sign in once HR has imported the roster. If you joined earlier, ask "
        "HR to check your employee number in the roster."
    ),
    Refusal.INACTIVE: _(
        "The staff roster no longer lists you as working here. If you have come back or "
        "this is a mistake, ask HR to put you back in the roster: your training record is "
        "kept and you will see it again."
    ),
    Refusal.EMAIL_UNVERIFIED: _(
        "This site can match you by e-mail address only when your organisation account has "
        "confirmed it. Ask the IT help desk, or sign in with your employee number."
    ),
    Refusal.EMAIL_AMBIGUOUS: _(
        "More than one person uses this e-mail address, so this site cannot tell who you "
        "are. Ask HR to correct the addresses in the roster."
    ),
}


class SignInRefused(Exception):
    """No person of the roster may sign in for this claim. ``reason`` is a ``Refusal``."""

    def __init__(self, reason: Refusal, *, user: User | None = None):
        super().__init__(reason.label)
        self.reason = reason
        self.user = user


def person_for_sign_in(
    *,
    source: str,
    employee_number: str | None,
    email: str | None = None,
    email_verified: bool = False,
    match_email: bool = False,
) -> User:
    """The active roster person an outside sign-in names, or ``SignInRefused``.

    ``source`` names the provider for the audit log (``"oidc"``, ``"ldap"``). The employee
    number decides when it is given. The e-mail address is tried only with ``match_email``,
    when no number was given or it matched nobody, and only if ``email_verified``; it must
    belong to exactly one person. Every refusal is recorded before it is raised.
    """
    try:
        return _match(
            employee_number=employee_number,
            email=email,
            email_verified=email_verified,
            match_email=match_email,
        )
    except SignInRefused as refusal:
        record(
            action=AuditAction.SIGN_IN_REFUSED,
            actor=None,
            target=refusal.user,
            unit=refusal.user.unit_id if refusal.user is not None else None,
            details={"reason": refusal.reason.value, "source": source},
        )
        raise


def _active(user: User) -> User:
    if not user.is_active:
        raise SignInRefused(Refusal.INACTIVE, user=user)
    return user


def _match(
    *, employee_number: str | None, email: str | None, email_verified: bool, match_email: bool
) -> User:
    roster = User.objects.filter(from_roster=True).select_related("unit")
    number = normalize_employee_number(str(employee_number or ""))
    if number:
        user = roster.filter(employee_number=number).first()
        if user is not None:
            return _active(user)
    address = (email or "").strip()
    if not match_email or not address:
        raise SignInRefused(Refusal.UNKNOWN if number else Refusal.MISSING_CLAIM)
    if not email_verified:
        raise SignInRefused(Refusal.EMAIL_UNVERIFIED)
    found = list(roster.filter(email__iexact=address)[:2])
    if not found:
        raise SignInRefused(Refusal.UNKNOWN)
    if len(found) > 1:
        raise SignInRefused(Refusal.EMAIL_AMBIGUOUS)
    return _active(found[0])


def refusal_response(request: HttpRequest, refusal: SignInRefused) -> HttpResponse:
    """The page a refused person sees: what happened, what to do, and whom to ask (403)."""
    return render(
        request,
        "registration/sign_in_refused.html",
        {
            "reason": refusal.reason,
            "title": refusal.reason.label,
            "advice": ADVICE[refusal.reason],
            "contact": signature_context()["contact"],
        },
        status=403,
    )
