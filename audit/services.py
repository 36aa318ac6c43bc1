"""The one way to write to the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models

from config.request_context import current_request

from .models import AuditAction, AuditEvent

# Keys that would put personal data into ``details``; the log keeps ids, codes and counts.
PERSONAL_KEYS = frozenset(
    {"name", "display_name", "kana", "email", "employee_number", "username", "password"}
)
_SCALARS = (str, int, float, bool, type(None))


def _request_user():
    request = current_request()
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


def _check_details(details: dict[str, Any]) -> dict[str, Any]:
    for key, value in details.items():
        if key in PERSONAL_KEYS:
            raise ValueError(f"Audit details must not hold personal data ({key!r}).")
        values = value if isinstance(value, list | tuple) else [value]
        if not all(isinstance(item, _SCALARS) for item in values):
            raise ValueError(f"Audit detail {key!r} must be a scalar or a list of scalars.")
    return {
        key: list(value) if isinstance(value, tuple) else value for key, value in details.items()
    }


def record(
    *,
    action: AuditAction | str,
    actor=None,
    target: models.Model | None = None,
    unit=None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event: ``actor`` did ``action`` to ``target`` (in ``unit``).

    ``actor`` defaults to the person signed in to the request being served (None in a task:
    the system acted). ``unit`` is an ``OrgUnit`` or its id. ``details`` is a small dict of
    ids, counts and codes; names, e-mail addresses and employee numbers are refused.
    """
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}.")
    if actor is None:
        actor = _request_user()
    elif not getattr(actor, "is_authenticated", False):
        actor = None
    unit_id = getattr(unit, "pk", unit)
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        unit_id=unit_id,
        details=_check_details(details or {}),
    )
