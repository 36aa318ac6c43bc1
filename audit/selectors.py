"""Reads of the audit log."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from .models import AuditEvent

#: Models that moved between apps keep their rows; events written before the move name them
#: under the old label, and the log cannot be rewritten. A filter by type finds both.
FORMER_TARGET_TYPES = {
    "org.orgunit": "lms.orgunit",
    "org.dxproassignment": "lms.dxproassignment",
    "org.managerassignment": "lms.managerassignment",
    "org.rosterimport": "lms.rosterimport",
}


def audit_event_list(
    *,
    action: str = "",
    actor: str = "",
    target_type: str = "",
    unit_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Events newest first, filtered; the person and unit come in the same query.

    ``action`` matches a code or a code prefix ending in "." ("role." for every role change);
    ``actor`` is an employee number or e-mail address, matched exactly.
    """
    events = AuditEvent.objects.select_related("actor", "unit")
    if action:
        events = (
            events.filter(action__startswith=action)
            if action.endswith(".")
            else events.filter(action=action)
        )
    if actor:
        events = events.filter(Q(actor__employee_number=actor) | Q(actor__email__iexact=actor))
    if target_type:
        labels = {target_type, FORMER_TARGET_TYPES.get(target_type, target_type)}
        events = events.filter(target_type__in=sorted(labels))
    if unit_id:
        events = events.filter(unit_id=unit_id)
    if since:
        events = events.filter(occurred_at__date__gte=since)
    if until:
        events = events.filter(occurred_at__date__lte=until)
    return events.order_by("-occurred_at", "-pk")
