"""Running the automatic checks over a worksheet's statements and storing the findings.

The stored findings are a cache of the checker's answer for the text they were computed
from (``checked_text``: WHAT, WHY, HOW and the volume): every reader goes through
``current_codes``, which computes them when the text has changed since, so a check that was
delayed or given up shows nothing stale; the next save queues it again. A worksheet's
changed statements are parsed as one batch. Kept apart from ``svo.services`` so that the
Celery task can call it without an import cycle (the services enqueue the task).
"""

from __future__ import annotations

from ..models import SvoStatement
from .checker import Finding, Statement, check_many, findings_for

#: The fields the checker reads; a stored finding is current while these are unchanged.
CHECKED_FIELDS = (
    "subject",
    "verb",
    "object",
    "purpose",
    "idea",
    "count_per_year",
    "minutes_per_case",
)


def _statement(statement: SvoStatement) -> Statement:
    """What the checker reads from a worksheet row: a worksheet always asks for HOW and
    for the volume (the exercise decides only whether they are required to submit)."""
    return Statement(
        subject=statement.subject,
        verb=statement.verb,
        object=statement.object,
        why=statement.purpose,
        how=statement.idea,
        count_per_year=statement.count_per_year,
        minutes_per_case=statement.minutes_per_case,
        hours_asked=True,
    )


def worksheet_check(*, worksheet_id: int) -> int:
    """Check the statements whose text changed since their last check; returns how many
    were checked (0 when all findings are current, so running it again is harmless)."""
    stale = [
        statement
        for statement in SvoStatement.objects.filter(worksheet_id=worksheet_id)
        if statement.check_text != statement.checked_text
    ]
    if not stale:
        return 0
    found = check_many([_statement(statement) for statement in stale])
    for statement, codes in zip(stale, found, strict=True):
        # Only if the text is still what was checked, and only these two fields, so that a
        # concurrent autosave is neither undone nor given stale findings.
        SvoStatement.objects.filter(
            pk=statement.pk, **{name: getattr(statement, name) for name in CHECKED_FIELDS}
        ).update(findings=codes, checked_text=statement.check_text)
    return len(stale)


def current_codes(statement: SvoStatement) -> list[str]:
    """The statement's finding codes for its present text: the stored ones when current,
    else computed now (tens of milliseconds), so hints never lag behind a busy worker."""
    if statement.checked_text == statement.check_text:
        return list(statement.findings or [])
    return check_many([_statement(statement)])[0]


def current_findings(statement: SvoStatement) -> list[Finding]:
    """The findings with their messages (the hours ones show the statement's numbers)."""
    return findings_for(
        current_codes(statement),
        count=statement.count_per_year,
        minutes=statement.minutes_per_case,
    )
