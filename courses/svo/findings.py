"""Running the automatic checks over a worksheet's statements and storing the findings.

Kept apart from ``svo_services`` so that the Celery task can call it without an import
cycle (the services enqueue the task).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone

from ..models import SvoStatement
from .checker import check_codes

#: A worksheet saved longer ago than this whose findings are still stale missed its check
#: (the broker was down, or the task failed for good).
CHECK_STALE_AFTER = dt.timedelta(minutes=1)


def worksheet_check(*, worksheet_id: int) -> int:
    """Check the statements whose text changed since their last check; returns how many
    were checked (0 when all findings are current, so running it again is harmless)."""
    checked = 0
    for statement in SvoStatement.objects.filter(worksheet_id=worksheet_id):
        text = statement.check_text
        if text == statement.checked_text:
            continue
        findings = check_codes(
            subject=statement.subject,
            verb=statement.verb,
            object=statement.object,
            why=statement.purpose,
        )
        # Only if the text is still what was checked, and only these two fields, so that a
        # concurrent autosave is neither undone nor given stale findings.
        SvoStatement.objects.filter(
            pk=statement.pk,
            subject=statement.subject,
            verb=statement.verb,
            object=statement.object,
            purpose=statement.purpose,
        ).update(findings=findings, checked_text=text)
        checked += 1
    return checked


def current_codes(statement: SvoStatement) -> list[str]:
    """The statement's finding codes for its present text: the stored ones when current,
    else computed now (a few milliseconds), so hints never lag behind a busy worker."""
    if statement.checked_text == statement.check_text:
        return list(statement.findings or [])
    return check_codes(
        subject=statement.subject,
        verb=statement.verb,
        object=statement.object,
        why=statement.purpose,
    )


def worksheets_with_stale_findings(
    *, now: dt.datetime | None = None, limit: int = 200
) -> list[int]:
    """Ids of worksheets with a statement whose findings do not match its text, saved more
    than ``CHECK_STALE_AFTER`` ago: the periodic sweep queues their checks again."""
    cutoff = (now or timezone.now()) - CHECK_STALE_AFTER
    check_text = Concat(
        F("subject"), Value("\t"), F("verb"), Value("\t"), F("object"), Value("\t"), F("purpose"),
        output_field=TextField(),
    )  # fmt: skip
    return list(
        SvoStatement.objects.annotate(current_text=check_text)
        .exclude(checked_text=F("current_text"))
        .filter(worksheet__updated_at__lt=cutoff)
        .order_by("worksheet_id")
        .values_list("worksheet_id", flat=True)
        .distinct()[:limit]
    )
