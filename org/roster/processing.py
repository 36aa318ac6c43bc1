"""The two long steps of a roster import: validate (preview) and apply.

Both run in a Celery worker (or the ``import_roster`` command), take the import's id, re-read
the stored file and compute the plan with set-based work. The apply writes in batches inside
one transaction, so a failure leaves nothing half-applied. While that transaction is open the
progress bar is written through a second connection (PostgreSQL), otherwise pollers would see
nothing until the end.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import logging
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.fiscal import current_fiscal_year, fiscal_year_of

from ..models import RosterImport
from ..signals import roster_applied
from . import parsing, planning, units, validation
from .parsing import RosterFileError, RosterFileErrors, read_roster
from .planning import RosterPlan, build_plan, database_fingerprint
from .progress import ProgressReporter
from .validation import RowError
from .writing import write_plan

logger = logging.getLogger(__name__)
User = get_user_model()

#: Errors kept on the import record; the count of lines with errors is always exact.
MAX_STORED_ERRORS = 1000
Status = RosterImport.Status


class RosterImportError(Exception):
    """The import cannot go on (already applied, has errors ...); the message says why."""


#: Deactivating more people than this, or more than this share of the active staff, needs a
#: second confirmation that names the count: a partial file sent as a full roster would
#: otherwise switch off most of the city with one click.
CONFIRM_DEACTIVATIONS_OVER = 20
CONFIRM_DEACTIVATIONS_SHARE = 0.05


def deactivation_needs_confirmation(count: int, *, active_staff: int | None = None) -> bool:
    """Must HR confirm, naming the number, before ``count`` people are deactivated?"""
    if count == 0:
        return False
    if count > CONFIRM_DEACTIVATIONS_OVER:
        return True
    if active_staff is None:
        active_staff = User.objects.filter(is_active=True).count()
    return count > active_staff * CONFIRM_DEACTIVATIONS_SHARE


def deactivation_refusal(count: int, *, confirmed: int | None) -> str | None:
    """Why deactivating ``count`` people may not go ahead with ``confirmed``, or None."""
    if confirmed == count or not deactivation_needs_confirmation(count):
        return None
    return ngettext(
        "This import deactivates %(count)d person. Confirm that number to apply it.",
        "This import deactivates %(count)d people. Confirm that number to apply it.",
        count,
    ) % {"count": count}


def stored_errors(errors: list[RowError], error_lines: int) -> list[dict]:
    """The first ``MAX_STORED_ERRORS`` errors, plus a summary entry when some were cut."""
    stored = [error.as_dict() for error in errors[:MAX_STORED_ERRORS]]
    if len(errors) > MAX_STORED_ERRORS:
        stored.append(
            {
                "line": None,
                "column": "",
                "message": _("%(count)d more errors are not listed.")
                % {"count": len(errors) - MAX_STORED_ERRORS},
                "summary": True,
                "error_lines": error_lines,
            }
        )
    return stored


def _read_file(roster_import: RosterImport) -> bytes:
    with roster_import.file.open("rb") as handle:
        return handle.read()


@contextmanager
def _no_gc():
    """Parsing, planning and writing allocate a few million small objects that all stay alive
    until the import is done: the collector's passes over them find nothing to free and cost
    a third of the preview of 100,000 lines. Collection resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _plan_for(
    roster_import: RosterImport,
    content: bytes,
    reporter: ProgressReporter,
    end: int,
    *,
    fiscal_year: int,
) -> RosterPlan:
    try:
        parsed = read_roster(content=content, file_name=roster_import.file_name)
    except RosterFileError as exc:
        return RosterPlan(errors=[RowError(exc.line, exc.column, exc.message)], error_lines=1)
    except RosterFileErrors as exc:
        errors = [RowError(error.line, error.column, error.message) for error in exc.errors]
        return RosterPlan(errors=errors, error_lines=1)
    reporter.set(end // 10)
    return build_plan(
        parsed=parsed,
        full_roster=roster_import.full_roster,
        fiscal_year=fiscal_year,
        protected_user_id=roster_import.uploaded_by_id,
        progress=reporter.phase(end // 10, end),
    )


@functools.cache
def planning_version() -> bytes:
    """Part of every fingerprint: a digest of the code a plan is made by (reading, checking,
    units, planning), so that a release that changes how a roster is planned makes every
    older preview plan again, without anybody remembering to bump a number."""
    digest = hashlib.sha256()
    for module in (parsing, validation, units, planning):
        digest.update(Path(module.__file__).read_bytes())
    return digest.digest()


def _fingerprint(roster_import: RosterImport, *, fiscal_year: int) -> str:
    """What a plan depends on, as one digest: the options and the database's rows. The file
    is the import's own and never changes, so the apply compares without reading it.

    Empty where the database cannot be summed up cheaply (SQLite): nothing is skipped there.
    """
    state = database_fingerprint(fiscal_year=fiscal_year)
    if state is None:
        return ""
    digest = hashlib.sha256(planning_version())
    for part in (
        roster_import.file_name,
        str(roster_import.full_roster),
        str(roster_import.uploaded_by_id),
        str(fiscal_year),
        state,
    ):
        digest.update(part.encode() + b"\x00")
    return digest.hexdigest()


@contextmanager
def _snapshot():
    """One transaction that sees one state of the database from its first query to its last.

    The preview plans and takes the fingerprint inside it, so the two describe the same rows
    even when someone edits people meanwhile. It reads only; progress goes through the second
    connection as in the apply. Inside an outer transaction (tests) that one is used as it is.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _record(roster_import_id: int, plan: RosterPlan, **fields) -> None:
    RosterImport.objects.filter(pk=roster_import_id).update(
        **plan.counts(),
        errors=stored_errors(plan.errors, plan.error_lines),
        deactivated_ids=plan.deactivate_ids,
        **fields,
    )


def _fail(roster_import_id: int, exc: BaseException, *, retry_status: str) -> None:
    """Record the failure. A lost database connection leaves the import claimable again,
    so the task's retry picks it up; anything else marks it failed."""
    logger.exception("Roster import %s failed", roster_import_id)
    transient = isinstance(exc, (OperationalError, InterfaceError))
    if transient:
        reason = _(
            "The connection to the database was lost; nothing was changed. "
            "The import is tried again automatically."
        )
        reason = f"{reason} ({type(exc).__name__})"
    else:
        reason = f"{type(exc).__name__}: {exc}"
    try:
        RosterImport.objects.filter(pk=roster_import_id).update(
            status=retry_status if transient else Status.FAILED,
            failure_reason=reason[:2000],
        )
    except DatabaseError:
        logger.exception("Could not record the failure of roster import %s", roster_import_id)


def _claim(
    roster_import_id: int,
    allowed: Iterable[str],
    new_status: str,
    *,
    check: Callable[[RosterImport], None] | None = None,
) -> RosterImport | None:
    """Move the import to ``new_status`` if it is in one of ``allowed``; ``check`` may refuse
    (raise) or set ``confirmed_deactivations`` first, under the same row lock."""
    with transaction.atomic():
        roster_import = RosterImport.objects.select_for_update().get(pk=roster_import_id)
        if roster_import.status not in allowed:
            return None
        if check is not None:
            check(roster_import)
        roster_import.status = new_status
        roster_import.progress = 0
        roster_import.save(update_fields=["status", "progress", "confirmed_deactivations"])
        return roster_import


def roster_import_validate(*, roster_import_id: int) -> RosterImport:
    """Compute the preview: counts of new, changed, unchanged and deactivated people, and errors.

    Writes nothing but the import record. Runs once: an import past validation is returned as
    it is, so a task delivered twice does no harm. The plan is read in one read-only snapshot
    (status and progress are written outside it, so the page sees them move); when it writes
    nothing, the fingerprint of that snapshot is kept for the apply.
    """
    roster_import = _claim(roster_import_id, {Status.PENDING, Status.VALIDATING}, Status.VALIDATING)
    if roster_import is None:
        return RosterImport.objects.get(pk=roster_import_id)
    reporter = ProgressReporter(roster_import_id)
    try:
        content = _read_file(roster_import)
        fiscal_year = current_fiscal_year()
        with _no_gc(), _snapshot():
            plan = _plan_for(roster_import, content, reporter, end=99, fiscal_year=fiscal_year)
            fingerprint = (
                _fingerprint(roster_import, fiscal_year=fiscal_year) if plan.writes_nothing else ""
            )
        _record(
            roster_import_id,
            plan,
            status=Status.PREVIEWED if plan.is_valid else Status.INVALID,
            progress=100,
            no_change_fingerprint=fingerprint,
        )
    except Exception as exc:
        _fail(roster_import_id, exc, retry_status=Status.VALIDATING)
        raise
    finally:
        reporter.close()
    return RosterImport.objects.get(pk=roster_import_id)


def roster_import_give_up(*, roster_import_id: int, exc: BaseException) -> None:
    """The task lost the database on its last retry: leave the import where HR can act.

    An apply changed nothing, so the import is ready to apply again, with the reason shown;
    a validation is marked failed (HR uploads the file again).
    """
    reason = _(
        "The database could not be reached after several tries; nothing was changed. "
        "You can apply this import again."
    )
    try:
        RosterImport.objects.filter(pk=roster_import_id, status=Status.APPLYING).update(
            status=Status.PREVIEWED, failure_reason=f"{reason} ({type(exc).__name__})"
        )
        RosterImport.objects.filter(pk=roster_import_id, status=Status.VALIDATING).update(
            status=Status.FAILED, failure_reason=f"{type(exc).__name__}: {exc}"[:2000]
        )
    except DatabaseError:  # still unreachable: the import stays where it was
        logger.exception("Could not release roster import %s", roster_import_id)


def roster_import_poisoned(*, roster_import_id: int, reason: str) -> None:
    """Its task was given up: each delivery killed the worker (out of memory, say) before it
    could record anything. A check or an apply under way is marked failed with the reason, so
    HR sees it instead of a progress bar that never moves, and nobody applies it again."""
    message = _(
        "Checking or applying this file stopped the import process several times, so it was "
        "stopped. Nothing was changed. Check the file, or ask the system administrator."
    )
    RosterImport.objects.filter(
        pk=roster_import_id, status__in=[Status.PENDING, Status.VALIDATING, Status.APPLYING]
    ).update(status=Status.FAILED, failure_reason=f"{message} ({reason})"[:2000])


def check_applicable(roster_import: RosterImport, *, confirm_deactivate: int | None = None) -> None:
    """Raise ``RosterImportError`` unless the import's preview is clean, not yet applied nor
    cancelled, and, when it deactivates many people, ``confirm_deactivate`` is their number."""
    if roster_import.status == Status.APPLIED:
        raise RosterImportError(_("This import has already been applied."))
    if roster_import.status == Status.CANCELLED:
        raise RosterImportError(_("This import was cancelled; it cannot be applied."))
    if roster_import.status == Status.INVALID:
        raise RosterImportError(_("This file has errors; fix them and upload it again."))
    if roster_import.status != Status.PREVIEWED:
        raise RosterImportError(_("This import is not ready to apply yet."))
    refusal = deactivation_refusal(roster_import.deactivated_count, confirmed=confirm_deactivate)
    if refusal:
        raise RosterImportError(refusal)


def roster_import_apply(
    *,
    roster_import_id: int,
    confirm_deactivate: int | None = None,
    today: dt.date | None = None,
) -> RosterImport:
    """Apply a previewed import atomically: units, people, deactivations, DX PRO appointments.

    The file is checked again against the database as it is now; if it has errors the import
    becomes invalid and nothing changes. People are compared on normalised values and only
    changed rows are written, so applying the same roster twice writes no person at all.
    When the preview found nothing to write and the fingerprint shows the file and the rows it
    read are as they were, that answer still holds and the file is not planned again.
    Deactivating many people (``deactivation_needs_confirmation``) needs their number,
    confirmed here (``confirm_deactivate``, the command) or when HR asked for the apply
    (``roster_import_schedule_apply``); if the file, planned again, deactivates another number
    of people, nothing is written and the import goes back to its preview with the new count.
    ``today`` is the day the roster takes effect (default: today in Asia/Tokyo): transfers
    are dated then, and its fiscal year is the one DX PRO appointments are for.
    Raises ``RosterImportError`` when the import is not in a state to apply.
    """

    def confirmed(roster_import: RosterImport) -> None:
        # Straight from a preview (the command): check the count before anything is planned.
        # Queued by HR (applying), schedule_apply checked it; the plan's own count is checked
        # against it below either way.
        if roster_import.status != Status.PREVIEWED:
            return
        if confirm_deactivate is not None:
            roster_import.confirmed_deactivations = confirm_deactivate
        check_applicable(roster_import, confirm_deactivate=roster_import.confirmed_deactivations)

    roster_import = _claim(
        roster_import_id, {Status.PREVIEWED, Status.APPLYING}, Status.APPLYING, check=confirmed
    )
    if roster_import is None:
        check_applicable(RosterImport.objects.get(pk=roster_import_id))
        raise RosterImportError(_("This import is not ready to apply yet."))  # pragma: no cover
    reporter = ProgressReporter(roster_import_id)
    try:
        fiscal_year = fiscal_year_of(today) if today else current_fiscal_year()
        with _no_gc(), transaction.atomic():
            # A preview that found nothing to write, on rows as they were: its counts are the
            # apply's own and only the status moves; the file is not read or planned again.
            unchanged = roster_import.no_change_fingerprint and (
                roster_import.no_change_fingerprint
                == _fingerprint(roster_import, fiscal_year=fiscal_year)
            )
            figures = {}
            people_changed, people_count = False, 0
            if not unchanged:
                content = _read_file(roster_import)
                plan = _plan_for(roster_import, content, reporter, end=30, fiscal_year=fiscal_year)
                if not plan.is_valid:
                    _record(roster_import_id, plan, status=Status.INVALID, progress=100)
                    return RosterImport.objects.get(pk=roster_import_id)
                refusal = deactivation_refusal(
                    len(plan.deactivate_ids), confirmed=roster_import.confirmed_deactivations
                )
                if refusal:
                    _record(
                        roster_import_id,
                        plan,
                        status=Status.PREVIEWED,
                        progress=100,
                        failure_reason=refusal,
                        confirmed_deactivations=None,
                        no_change_fingerprint="",
                    )
                    return RosterImport.objects.get(pk=roster_import_id)
                write_plan(plan, reporter=reporter, fiscal_year=fiscal_year, today=today)
                people_changed = not plan.writes_nothing
                people_count = len(plan.creates) + len(plan.updates)
                figures = {
                    **plan.counts(),
                    "errors": stored_errors(plan.errors, plan.error_lines),
                    "deactivated_ids": plan.deactivate_ids,
                }
            # Joiners and movers get what the active assignments say (lms.completion
            # .receivers), after any apply, so what follows an import does not depend on the
            # shortcut; the work is recorded in this transaction, so none is lost after it.
            roster_applied.send(
                sender=RosterImport,
                roster_import_id=roster_import_id,
                people_changed=people_changed,
                people_count=people_count,
            )
            RosterImport.objects.filter(pk=roster_import_id).update(
                **figures,
                status=Status.APPLIED,
                progress=100,
                applied_at=timezone.now(),
                failure_reason="",
            )
    except Exception as exc:
        _fail(roster_import_id, exc, retry_status=Status.APPLYING)
        raise
    finally:
        reporter.close()
    return RosterImport.objects.get(pk=roster_import_id)
