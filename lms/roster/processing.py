"""The two long steps of a roster import: validate (preview) and apply.

Both run in a Celery worker (or the ``import_roster`` command), take the import's id, re-read
the stored file and compute the plan with set-based work. The apply writes in batches inside
one transaction, so a failure leaves nothing half-applied. While that transaction is open the
progress bar is written through a second connection (PostgreSQL), otherwise pollers would see
nothing until the end.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from ..fiscal import current_fiscal_year, fiscal_year_start
from ..models import DxProAssignment, OrgUnit, RosterImport, User
from ..signals import roster_applied
from .parsing import RosterFileError, RosterFileErrors, read_roster
from .planning import PlannedUpdate, RosterPlan, build_plan, database_fingerprint
from .units import UnitNode
from .validation import RowError

logger = logging.getLogger(__name__)

#: Errors kept on the import record; the count of lines with errors is always exact.
MAX_STORED_ERRORS = 1000
BATCH_SIZE = 2000
UPDATE_BATCH_SIZE = 200  # bulk_update's CASE cost grows with the square of the batch.

T = TypeVar("T")
Status = RosterImport.Status


class RosterImportError(Exception):
    """The import cannot go on (already applied, has errors ...); the message says why."""


def _batches(items: list[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class ProgressReporter:
    """Writes ``RosterImport.progress`` (0-100) when it moves, at most once per percent.

    Inside a transaction the write goes through a separate autocommit connection so the page
    sees it at once; on databases where that would wait for our own lock (SQLite) it is skipped.
    Progress is best effort: a failure to write it never fails the import.
    """

    def __init__(self, roster_import_id: int) -> None:
        self.pk = roster_import_id
        self.last = -1
        self._side = None
        self._table = RosterImport._meta.db_table

    def phase(self, start: int, end: int):
        """A callback for ``done`` of ``total`` items mapped into ``start``-``end`` percent."""

        def report(done: int, total: int) -> None:
            self.set(start + (end - start) * done // max(total, 1))

        return report

    def set(self, percent: int) -> None:
        percent = max(0, min(100, percent))
        if percent == self.last:
            return
        self.last = percent
        target = connection
        if connection.in_atomic_block:
            if connection.vendor != "postgresql":
                return
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            target = self._side
        try:
            with target.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {self._table} SET progress = %s WHERE id = %s",
                    [percent, self.pk],
                )
        except DatabaseError:
            logger.warning("Could not record progress of roster import %s", self.pk)

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


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


#: Part of every fingerprint: change it when planning changes, so an old preview plans again.
FINGERPRINT_VERSION = b"roster-plan-1"


def _fingerprint(roster_import: RosterImport, content: bytes, *, fiscal_year: int) -> str:
    """What a plan depends on, as one digest: the file, the options, the database's rows.

    Empty where the database cannot be summed up cheaply (SQLite): nothing is skipped there.
    """
    state = database_fingerprint(fiscal_year=fiscal_year)
    if state is None:
        return ""
    digest = hashlib.sha256(FINGERPRINT_VERSION)
    for part in (
        roster_import.file_name,
        str(roster_import.full_roster),
        str(roster_import.uploaded_by_id),
        str(fiscal_year),
        state,
    ):
        digest.update(part.encode() + b"\x00")
    digest.update(content)
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
        **plan.counts(), errors=stored_errors(plan.errors, plan.error_lines), **fields
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


def _claim(roster_import_id: int, allowed: Iterable[str], new_status: str) -> RosterImport | None:
    with transaction.atomic():
        roster_import = RosterImport.objects.select_for_update().get(pk=roster_import_id)
        if roster_import.status not in allowed:
            return None
        roster_import.status = new_status
        roster_import.progress = 0
        roster_import.save(update_fields=["status", "progress"])
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
                _fingerprint(roster_import, content, fiscal_year=fiscal_year)
                if plan.writes_nothing
                else ""
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


#: An import validating or applying this long after its task was sent lost that task. Longer
#: than the tasks' hard time limits, so a task still running is never sent twice.
STUCK_AFTER = dt.timedelta(minutes=30)


@transaction.atomic
def roster_imports_claim_stuck(*, now: dt.datetime | None = None) -> list[tuple[int, str]]:
    """Imports whose validation or apply was sent and never finished, as ``(id, status)``,
    marked as sent again now.

    Waiting (never started), validating and applying imports are found by ``queued_at``; an
    import uploaded by the command (validated in-process, never queued) is not.
    """
    now = now or timezone.now()
    stuck = list(
        RosterImport.objects.select_for_update(skip_locked=True)
        .filter(
            status__in=[Status.PENDING, Status.VALIDATING, Status.APPLYING],
            queued_at__lt=now - STUCK_AFTER,
        )
        .order_by("queued_at")
        .values_list("pk", "status")
    )
    RosterImport.objects.filter(pk__in=[pk for pk, _status in stuck]).update(queued_at=now)
    if stuck:
        logger.warning("Sending %d roster import(s) stuck without a task again", len(stuck))
    return stuck


def check_applicable(roster_import: RosterImport) -> None:
    """Raise ``RosterImportError`` unless the import's preview is clean and not yet applied."""
    if roster_import.status == Status.APPLIED:
        raise RosterImportError(_("This import has already been applied."))
    if roster_import.status == Status.INVALID:
        raise RosterImportError(_("This file has errors; fix them and upload it again."))
    if roster_import.status != Status.PREVIEWED:
        raise RosterImportError(_("This import is not ready to apply yet."))


def roster_import_apply(*, roster_import_id: int) -> RosterImport:
    """Apply a previewed import atomically: units, people, deactivations, DX PRO appointments.

    The file is checked again against the database as it is now; if it has errors the import
    becomes invalid and nothing changes. People are compared on normalised values and only
    changed rows are written, so applying the same roster twice writes no person at all.
    When the preview found nothing to write and the fingerprint shows the file and the rows it
    read are as they were, that answer still holds and the file is not planned again.
    Raises ``RosterImportError`` when the import is not in a state to apply.
    """
    roster_import = _claim(roster_import_id, {Status.PREVIEWED, Status.APPLYING}, Status.APPLYING)
    if roster_import is None:
        check_applicable(RosterImport.objects.get(pk=roster_import_id))
        raise RosterImportError(_("This import is not ready to apply yet."))  # pragma: no cover
    reporter = ProgressReporter(roster_import_id)
    try:
        content = _read_file(roster_import)
        fiscal_year = current_fiscal_year()
        with _no_gc(), transaction.atomic():
            if roster_import.no_change_fingerprint and roster_import.no_change_fingerprint == (
                _fingerprint(roster_import, content, fiscal_year=fiscal_year)
            ):
                _apply_unchanged(roster_import_id)
                return RosterImport.objects.get(pk=roster_import_id)
            plan = _plan_for(roster_import, content, reporter, end=30, fiscal_year=fiscal_year)
            if not plan.is_valid:
                _record(roster_import_id, plan, status=Status.INVALID, progress=100)
            else:
                write_plan(plan, reporter=reporter, fiscal_year=fiscal_year)
                _announce(roster_import_id)
                _record(
                    roster_import_id,
                    plan,
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


def _announce(roster_import_id: int) -> None:
    # Joiners and movers get what the active assignments say (lms.receivers).
    transaction.on_commit(
        lambda: roster_applied.send(sender=RosterImport, roster_import_id=roster_import_id)
    )


def _apply_unchanged(roster_import_id: int) -> None:
    """The apply of a preview that found nothing to write, on an unchanged database.

    The counts the preview recorded are the apply's own; only the status moves. The signal
    goes out as after any apply, so what follows an import does not depend on this shortcut.
    """
    _announce(roster_import_id)
    RosterImport.objects.filter(pk=roster_import_id).update(
        status=Status.APPLIED, progress=100, applied_at=timezone.now(), failure_reason=""
    )


def write_plan(plan: RosterPlan, *, reporter: ProgressReporter, fiscal_year: int) -> None:
    """Write a valid plan. Call inside a transaction; every statement is batched."""
    now = timezone.now()
    _write_units(plan, valid_from=fiscal_year_start(fiscal_year))
    reporter.set(35)

    for ids in _batches(plan.email_holders_to_clear):
        # E-mail addresses that move between people in this file: free them first, so the
        # case-insensitive unique constraint holds after every statement.
        User.objects.filter(pk__in=ids).update(email="")

    created: dict[str, int] = {}
    total = len(plan.creates) + len(plan.updates) + len(plan.deactivate_ids) or 1
    done = 0
    progress = reporter.phase(35, 95)
    for batch in _batches(plan.creates):
        users = [
            User(
                employee_number=row.employee_number,
                email=row.email,
                display_name=row.display_name,
                kana=row.kana,
                position=row.position,
                employment_type=row.employment_type,
                unit_id=unit.pk,
                # New people set their first password through the reset e-mail.
                password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
                from_roster=True,
                date_joined=now,
            )
            for row, unit in batch
        ]
        User.objects.bulk_create(users)
        created.update((user.employee_number, user.pk) for user in users)
        done += len(batch)
        progress(done, total)

    update_fields = [
        "email",
        "display_name",
        "position",
        "employment_type",
        "unit",
        "is_active",
        "deactivated_at",
        "from_roster",
    ]
    if not plan.keep_kana:
        update_fields.append("kana")
    for batch in _batches(plan.updates):
        _update_users(batch, update_fields)
        done += len(batch)
        progress(done, total)

    for ids in _batches(plan.deactivate_ids):
        User.objects.filter(pk__in=ids).update(is_active=False, deactivated_at=now)
        done += len(ids)
        progress(done, total)

    _write_dx_pro(plan, created=created, fiscal_year=fiscal_year)
    reporter.set(99)


def _update_users(batch: list[PlannedUpdate], fields: list[str]) -> None:
    """Write changed people: one ``UPDATE ... FROM (VALUES ...)`` per batch on PostgreSQL.

    Django's ``bulk_update`` builds a CASE per column in Python, which costs about a second per
    thousand people; elsewhere (SQLite for trying the product) it is good enough.
    """
    users = [
        User(
            pk=update.user.pk,
            email=update.row.email,
            display_name=update.row.display_name,
            kana=update.row.kana,
            position=update.row.position,
            employment_type=update.row.employment_type,
            unit_id=update.unit.pk,
            is_active=True,
            deactivated_at=None,
            from_roster=True,
        )
        for update in batch
    ]
    if connection.vendor != "postgresql":
        User.objects.bulk_update(users, fields, batch_size=UPDATE_BATCH_SIZE)
        return
    model_fields = [User._meta.get_field(name) for name in fields]
    columns = [field.column for field in model_fields]
    casts = [field.db_type(connection) for field in model_fields]
    row = "(%s::bigint, " + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    params: list = []
    for user in users:
        params.append(user.pk)
        params.extend(
            field.get_db_prep_save(getattr(user, field.attname), connection)
            for field in model_fields
        )
    table = User._meta.db_table
    assignments = ", ".join(f'"{column}" = v."{column}"' for column in columns)
    names = ", ".join(f'"{column}"' for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" AS u SET {assignments} '
            f"FROM (VALUES {', '.join([row] * len(users))}) AS v(id, {names}) "
            f"WHERE u.id = v.id",
            params,
        )


def _write_units(plan: RosterPlan, *, valid_from) -> None:
    units = plan.units
    if units is None:
        return
    new_units = sorted(units.new_units(), key=lambda n: (n.depth, n.created_by_line))
    if new_units and OrgUnit.node_order_by:
        _add_units_one_by_one(new_units, valid_from=valid_from)
    elif new_units:
        _add_units_in_bulk(new_units, valid_from=valid_from)
    changed = [
        OrgUnit(
            pk=node.pk,
            name=node.current_name,
            code=node.new_code if node.new_code is not None else node.code,
        )
        for node in units.changed_units()
    ]
    if changed:
        OrgUnit.objects.bulk_update(changed, ["name", "code"], batch_size=BATCH_SIZE)


def _add_units_one_by_one(new_units: list[UnitNode], *, valid_from) -> None:
    # Sorted siblings: let treebeard find each one's place.
    for node in new_units:
        fields = {"kind": node.kind, "code": node.code, "name": node.name, "valid_from": valid_from}
        if node.parent is None:
            unit = OrgUnit.add_root(**fields)
        else:
            unit = OrgUnit.objects.get(pk=node.parent.pk).add_child(**fields)
        node.pk = unit.pk


def _add_units_in_bulk(new_units: list[UnitNode], *, valid_from) -> None:
    """What treebeard's ``add_child`` does for appended siblings, for all units at once.

    Each new unit gets the next free step after its parent's last child (closed units
    included), encoded with treebeard's own ``_get_path``; parents' ``numchild`` is raised
    by the number of new children. Two queries to read, one insert and one update per batch,
    where ``add_child`` costs four queries per unit.
    """
    steplen = OrgUnit.steplen
    last_step: dict[str, int] = {}
    path_of: dict[int, str] = {}
    numchild: dict[int, int] = {}
    for pk, path, children in OrgUnit.objects.order_by().values_list("pk", "path", "numchild"):
        path_of[pk] = path
        numchild[pk] = children
        parent_path, step = path[:-steplen], OrgUnit._str2int(path[-steplen:])
        if step > last_step.get(parent_path, 0):
            last_step[parent_path] = step

    new_paths: dict[int, str] = {}
    added_children: dict[int, int] = {}
    rows: list[OrgUnit] = []
    for node in new_units:
        parent = node.parent
        if parent is None:
            parent_path = ""
        elif parent.pk is not None:
            parent_path = path_of[parent.pk]
            added_children[parent.pk] = added_children.get(parent.pk, 0) + 1
        else:
            parent_path = new_paths[id(parent)]
        step = last_step.get(parent_path, 0) + 1
        last_step[parent_path] = step
        path = OrgUnit._get_path(parent_path, node.depth, step)
        new_paths[id(node)] = path
        rows.append(
            OrgUnit(
                path=path,
                depth=node.depth,
                numchild=0,
                kind=node.kind,
                code=node.code,
                name=node.name,
                valid_from=valid_from,
            )
        )
    children_of_new: dict[str, int] = {}
    for path in new_paths.values():
        children_of_new[path[:-steplen]] = children_of_new.get(path[:-steplen], 0) + 1
    for row in rows:
        row.numchild = children_of_new.get(row.path, 0)
    OrgUnit.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    pks = dict(OrgUnit.objects.filter(path__in=list(new_paths.values())).values_list("path", "pk"))
    for node in new_units:
        node.pk = pks[new_paths[id(node)]]
    parents = [
        OrgUnit(pk=pk, numchild=numchild[pk] + count) for pk, count in added_children.items()
    ]
    if parents:
        OrgUnit.objects.bulk_update(parents, ["numchild"], batch_size=BATCH_SIZE)


def _write_dx_pro(plan: RosterPlan, *, created: dict[str, int], fiscal_year: int) -> None:
    if not plan.dx_pro:
        return
    numbers = [number for number, _unit in plan.dx_pro if number not in created]
    known = dict(
        User.objects.filter(employee_number__in=numbers).values_list("employee_number", "pk")
    )
    known.update(created)
    assignments = [
        DxProAssignment(user_id=known[number], unit_id=unit.pk, fiscal_year=fiscal_year)
        for number, unit in plan.dx_pro
    ]
    DxProAssignment.objects.bulk_create(assignments, batch_size=BATCH_SIZE, ignore_conflicts=True)
