"""``manage.py import_roster FILE [--dry-run] [--partial] [--confirm-deactivate N]``: the roster
import without a browser. Deactivating many people needs ``--confirm-deactivate`` with their
number, as the preview's second confirmation does on the web."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from org.models import RosterImport
from org.roster.processing import deactivation_needs_confirmation
from org.roster.selectors import roster_import_error_lines, roster_import_error_list
from org.roster.services import (
    RosterImportError,
    roster_import_apply,
    roster_import_cancel,
    roster_import_create,
    roster_import_validate,
)


class Command(BaseCommand):
    help = "Import HR's roster (CSV or XLSX): check it, print the counts and errors, apply it."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check only; change nothing.")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="The file lists only some people: deactivate nobody.",
        )
        parser.add_argument(
            "--confirm-deactivate",
            type=int,
            metavar="N",
            default=None,
            help=(
                "Apply even though the file deactivates N people (more than 20, or more than "
                "5%% of the active staff); N must be the number the check finds."
            ),
        )

    def handle(
        self,
        *args,
        file: Path,
        dry_run: bool,
        partial: bool,
        confirm_deactivate: int | None,
        **options,
    ):
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        roster_import = roster_import_create(
            uploaded_by=None,
            file_name=file.name,
            content=content,
            full_roster=not partial,
            enqueue=False,
        )
        roster_import = roster_import_validate(roster_import_id=roster_import.pk)
        if roster_import.status == RosterImport.Status.PREVIEWED and not dry_run:
            try:
                roster_import = roster_import_apply(
                    roster_import_id=roster_import.pk, confirm_deactivate=confirm_deactivate
                )
            except RosterImportError as exc:
                # Not left waiting on HR's page: an operator's refused run is discarded.
                roster_import_cancel(roster_import_id=roster_import.pk)
                self._report(roster_import, dry_run=False)
                count = roster_import.deactivated_count
                raise CommandError(
                    f"{exc} Nothing was changed. Check who would be deactivated, then run "
                    f"again with --confirm-deactivate {count}."
                ) from exc
        self._report(roster_import, dry_run=dry_run)
        if roster_import.status == RosterImport.Status.PREVIEWED and not dry_run:
            # Planned again at the apply, the file deactivates another number of people.
            raise CommandError(f"{roster_import.failure_reason} Nothing was changed.")
        if roster_import.status not in {
            RosterImport.Status.PREVIEWED,
            RosterImport.Status.APPLIED,
        }:
            raise CommandError(
                f"{roster_import_error_lines(roster_import)} line(s) with errors; nothing changed."
                if roster_import.status == RosterImport.Status.INVALID
                else f"The import failed: {roster_import.failure_reason}"
            )

    def _report(self, roster_import: RosterImport, *, dry_run: bool) -> None:
        self.stdout.write(f"Roster import #{roster_import.pk}: {roster_import.total_rows} lines")
        for label, value in (
            ("new", roster_import.created_count),
            ("changed", roster_import.updated_count),
            ("unchanged", roster_import.unchanged_count),
            ("deactivated", roster_import.deactivated_count),
            ("units created", roster_import.units_created_count),
            ("units renamed", roster_import.units_renamed_count),
        ):
            self.stdout.write(f"  {label}: {value}")
        if roster_import.status == RosterImport.Status.APPLIED:
            self.stdout.write("Applied.")
        elif roster_import.status == RosterImport.Status.PREVIEWED and dry_run:
            self.stdout.write("Dry run: nothing changed.")
            if deactivation_needs_confirmation(roster_import.deactivated_count):
                self.stdout.write(
                    f"Applying needs --confirm-deactivate {roster_import.deactivated_count}."
                )
        for error in roster_import_error_list(roster_import):
            where = f"line {error['line']}" if error.get("line") else "file"
            column = f", {error['column']}" if error.get("column") else ""
            self.stderr.write(f"{where}{column}: {error['message']}")
        for error in roster_import.errors:
            if error.get("summary"):
                self.stderr.write(error["message"])
