"""Running the automatic checks over a worksheet's statements and storing the findings.

The stored findings are a cache of the checker's answer for the text they were computed
from (``checked_text``): every reader goes through ``current_codes``, which computes them when
the text has changed since, so a check that was delayed or given up shows nothing stale; the
next save queues it again. Kept apart from ``svo.services`` so that the Celery task can call
it without an import cycle (the services enqueue the task).
"""

from __future__ import annotations

from ..models import SvoStatement
from .checker import check_codes


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
