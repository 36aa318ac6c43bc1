"""Reads of roster import records for the screens and the command."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import RosterImport


def roster_import_recent(*, limit: int = 20) -> QuerySet[RosterImport]:
    """The latest imports with their uploader: the audit trail on the upload page (one query)."""
    return RosterImport.objects.select_related("uploaded_by").order_by("-created_at")[:limit]


def roster_import_error_list(roster_import: RosterImport) -> list[dict]:
    """The stored errors without the summary entry added when the list was cut."""
    return [error for error in roster_import.errors if not error.get("summary")]


def roster_import_error_lines(roster_import: RosterImport) -> int:
    """The exact number of lines with errors, even when only the first ones are stored."""
    errors = roster_import.errors or []
    for error in errors:
        if error.get("summary"):
            return int(error["error_lines"])
    return len({error.get("line") for error in errors})


def roster_import_state(roster_import: RosterImport) -> dict:
    """What the status endpoint and the progress script need, as plain JSON data."""
    return {
        "status": roster_import.status,
        "status_label": str(roster_import.get_status_display()),
        "progress": roster_import.progress,
        "finished": roster_import.is_finished,
        "total_rows": roster_import.total_rows,
        "error_lines": roster_import_error_lines(roster_import),
        "counts": {
            "created": roster_import.created_count,
            "updated": roster_import.updated_count,
            "unchanged": roster_import.unchanged_count,
            "deactivated": roster_import.deactivated_count,
            "units_created": roster_import.units_created_count,
            "units_renamed": roster_import.units_renamed_count,
        },
    }
