"""The audit log as HR reads it: each entry's action, target and details in words.

``audit_event_rows`` turns one page of events into rows for the template, naming every target
and every person the details refer to with one query per kind of target and one for the
people, whatever the number of entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext, pgettext

from core.fiscal import fiscal_year_label

from .models import AuditEvent
from .targets import target_labels

#: Details that name a person, with how the phrase introduces them.
PERSON_KEYS = {"user_id": "person", "author_id": "author"}
#: Internal references HR has no use for (the target already names the record).
#: The people lists' export format (the action says CSV or Excel), assignment, schedule and
#: delivery stay in the details for whoever reads the raw log.
HIDDEN_KEYS = frozenset({"review_id", "format", "assignment", "scheduled_report", "delivery"})


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    action: str
    target: str
    details: list[str]


def _count(key: str, value: Any) -> str | None:
    phrases = {
        "created": pgettext("audit detail", "New %(n)s"),
        "updated": pgettext("audit detail", "Changed %(n)s"),
        "deactivated": pgettext("audit detail", "Deactivated %(n)s"),
        "units_created": pgettext("audit detail", "New units %(n)s"),
        "units_renamed": pgettext("audit detail", "Renamed units %(n)s"),
        "sent": pgettext("audit detail", "Sent to %(n)s"),
        "withdrawn": pgettext("audit detail", "Enrolments withdrawn %(n)s"),
        "version": pgettext("audit detail", "Version %(n)s"),
        # Activation codes (lms.accounts.activation): issued, earlier codes replaced, pasted
        # numbers that matched nobody, slips printed.
        "issued": pgettext("audit detail", "Codes issued %(n)s"),
        "revoked": pgettext("audit detail", "Earlier codes replaced %(n)s"),
        "unknown": pgettext("audit detail", "Numbers not on the roster %(n)s"),
        "printed": pgettext("audit detail", "Slips printed %(n)s"),
    }
    phrase = phrases.get(key)
    return phrase % {"n": value} if phrase else None


def _reasons() -> dict[str, str]:
    """Why a sign-in was refused (``lms.accounts.matching.Refusal`` and
    ``lms.accounts.oidc.Failure`` codes)."""
    return {
        "missing_claim": pgettext("audit detail", "Reason: no employee number was sent"),
        "unknown": pgettext("audit detail", "Reason: not on the roster"),
        "inactive": pgettext("audit detail", "Reason: account no longer active"),
        "email_unverified": pgettext("audit detail", "Reason: e-mail address not confirmed"),
        "email_ambiguous": pgettext("audit detail", "Reason: e-mail address of several people"),
        # Failures of a sign-in with the OpenID provider (lms.accounts.oidc.Failure codes).
        "state_mismatch": pgettext("audit detail", "Reason: sign-in not started in this browser"),
        "provider_denied": pgettext("audit detail", "Reason: the provider did not allow it"),
        "code_refused": pgettext("audit detail", "Reason: sign-in code refused by the provider"),
        "token_invalid": pgettext("audit detail", "Reason: the provider's token failed the checks"),
        "provider_unreachable": pgettext("audit detail", "Reason: the provider did not answer"),
    }


def _sources() -> dict[str, str]:
    """Where a sign-in came from."""
    return {
        "oidc": pgettext("audit detail", "Via: organisation account (OpenID Connect)"),
        "ldap": pgettext("audit detail", "Via: directory (Active Directory / LDAP)"),
        "activation": pgettext("audit detail", "Via: first sign-in code"),
    }


def _phrase(key: str, value: Any, people: dict[int, str]) -> str | None:
    if key in HIDDEN_KEYS:
        return None
    if key in PERSON_KEYS:
        name = people.get(value) or gettext("no. %(id)s") % {"id": value}
        if PERSON_KEYS[key] == "author":
            return pgettext("audit detail", "Author: %(name)s") % {"name": name}
        return pgettext("audit detail", "Person: %(name)s") % {"name": name}
    if key == "full_roster":
        answer = gettext("yes") if value else gettext("no")
        return pgettext("audit detail", "Full roster: %(answer)s") % {"answer": answer}
    if key == "fiscal_year" and isinstance(value, int):
        return fiscal_year_label(value)
    if key == "report":
        reports = {
            "completion": pgettext("audit detail", "Report: completion"),
            "guidebook_reading": pgettext("audit detail", "Report: guidebook reading"),
            "people": pgettext("audit detail", "Report: names of people"),
        }
        return reports.get(value, pgettext("audit detail", "Report"))
    if key == "active":  # a scheduled report resumed or paused
        if value:
            return pgettext("audit detail", "Sending: resumed")
        return pgettext("audit detail", "Sending: paused")
    if key == "show":
        # Whom a people list held (lms.models.PeopleFilter).
        shown = {
            "all": pgettext("audit detail", "People: everyone"),
            "overdue": pgettext("audit detail", "People: overdue"),
            "not_started": pgettext("audit detail", "People: not started"),
            "completed": pgettext("audit detail", "People: completed"),
        }
        return shown.get(value, pgettext("audit detail", "Other: %(value)s") % {"value": value})
    if key == "reason":
        return _reasons().get(value) or pgettext("audit detail", "Reason: %(value)s") % {
            "value": value
        }
    if key == "source":
        return _sources().get(value) or pgettext("audit detail", "Via: %(value)s") % {
            "value": value
        }
    counted = _count(key, value)
    if counted is not None:
        return counted
    return pgettext("audit detail", "Other: %(value)s") % {"value": value}


def audit_event_rows(events: list[AuditEvent]) -> list[AuditRow]:
    """Rows of one page: one query per kind of target, one for the people in the details."""
    events = list(events)
    targets = target_labels((event.target_type, event.target_id) for event in events)
    person_ids = {
        value
        for event in events
        for key, value in event.details.items()
        if key in PERSON_KEYS and isinstance(value, int)
    }
    people = (
        dict(get_user_model().objects.filter(pk__in=person_ids).values_list("pk", "display_name"))
        if person_ids
        else {}
    )
    return [
        AuditRow(
            event=event,
            action=event.get_action_display(),
            target=targets.get((event.target_type, event.target_id), "—"),
            details=[
                phrase
                for key, value in event.details.items()
                if (phrase := _phrase(key, value, people))
            ],
        )
        for event in events
    ]
