"""Reads of roster import records for the screens and the command."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from ..models import RosterImport
from ..selectors import unit_full_names

User = get_user_model()


def roster_import_recent(*, limit: int = 20) -> QuerySet[RosterImport]:
    """The latest imports with their uploader: the audit trail on the upload page (one query;
    the list of people a preview would deactivate is left in the database)."""
    return (
        RosterImport.objects.select_related("uploaded_by")
        .defer("deactivated_ids", "errors")
        .order_by("-created_at")[:limit]
    )


@dataclass(frozen=True)
class Leaver:
    """One person an import deactivates, as the preview lists them."""

    employee_number: str
    display_name: str
    unit: str


def roster_import_deactivations(
    roster_import: RosterImport, *, page: str | int | None, per_page: int = 50
) -> Page:
    """One page of the people the import deactivates (or deactivated), in employee-number
    order, each with the full name of their unit: two queries whatever the page."""
    paginator = Paginator(roster_import.deactivated_ids or [], per_page)
    current = paginator.get_page(page)
    ids = list(current.object_list)
    people = (
        User.objects.filter(pk__in=ids)
        .select_related("unit")
        .only("employee_number", "display_name", "unit__path", "unit__name")
    )
    by_id = {person.pk: person for person in people}
    names = unit_full_names(person.unit for person in by_id.values())
    current.object_list = [
        Leaver(
            employee_number=by_id[pk].employee_number,
            display_name=by_id[pk].display_name,
            unit=names.get(by_id[pk].unit_id, ""),
        )
        for pk in ids
        if pk in by_id
    ]
    return current


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
