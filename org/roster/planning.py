"""From a parsed file to a plan: who is new, who changed, who leaves, which units appear.

The plan is computed in memory from one query per table (current units, all users, this
year's DX PRO appointments), so a 100,000-line roster costs a handful of queries however many
people it lists. The same function serves the preview and the apply; the apply recomputes it
inside its transaction so it acts on the database as it is then, not as it was at preview;
only a plan that writes nothing is taken over, and only when ``database_fingerprint`` shows
the rows it read are unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext as _

from .. import access
from ..models import DxProAssignment, OrgUnit, OrgUnitKind
from .parsing import ParsedRoster
from .units import LEVEL_FIELDS, UNIT_COLUMNS, UnitNode, UnitResolver
from .validation import LineChecker, RosterRow, RowError

User = get_user_model()

Progress = Callable[[int, int], None]


class ExistingUser(NamedTuple):
    """What we need of a user already in the database: the query's own row, named.

    A tuple and not a dataclass: a full roster loads every user, and building 200,000
    tuples in C is a fraction of calling a Python ``__init__`` 200,000 times.
    """

    pk: int
    employee_number: str
    email: str
    display_name: str
    kana: str
    position: str
    employment_type: str
    unit_id: int | None
    is_active: bool
    from_roster: bool
    is_superuser: bool
    joined_on: dt.date | None
    unit_since: dt.date | None
    language: str


#: The user columns a plan reads: ``ExistingUser``'s fields.
USER_COLUMNS = ExistingUser._fields


@dataclass(slots=True)
class PlannedUpdate:
    user: ExistingUser
    row: RosterRow
    unit: UnitNode


@dataclass
class RosterPlan:
    """Everything the apply writes, and the counts the preview shows."""

    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_lines: int = 0
    creates: list[tuple[RosterRow, UnitNode]] = field(default_factory=list)
    updates: list[PlannedUpdate] = field(default_factory=list)
    unchanged: int = 0
    deactivate_ids: list[int] = field(default_factory=list)
    email_holders_to_clear: list[int] = field(default_factory=list)
    dx_pro: list[tuple[str, UnitNode]] = field(default_factory=list)
    units: UnitResolver | None = None
    keep_kana: bool = False
    #: The file has no 入庁日 column: joining dates already recorded stay as they are.
    keep_joined_on: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def writes_nothing(self) -> bool:
        """A valid plan whose apply would not change a single row."""
        return (
            self.is_valid
            and not self.creates
            and not self.updates
            and not self.deactivate_ids
            and not self.email_holders_to_clear
            and not self.dx_pro
            and not (self.units and (self.units.new_units() or self.units.changed_units()))
        )

    def counts(self) -> dict[str, int]:
        return {
            "total_rows": self.total_rows,
            "created_count": len(self.creates),
            "updated_count": len(self.updates),
            "unchanged_count": self.unchanged,
            "deactivated_count": len(self.deactivate_ids),
            "units_created_count": len(self.units.new_units()) if self.units else 0,
            "units_renamed_count": len(self.units.changed_units()) if self.units else 0,
        }


def load_existing_users() -> dict[str, ExistingUser]:
    """Every user, keyed by employee number: one query, tuples not model instances."""
    rows = User.objects.order_by().values_list(*USER_COLUMNS)
    make = ExistingUser._make
    return {row[1]: make(row) for row in rows.iterator(chunk_size=5000)}


def database_fingerprint(*, fiscal_year: int) -> str | None:
    """A digest of every row a plan reads: users, current units, this year's DX PRO.

    Two equal fingerprints mean ``build_plan`` would see the same rows, so a plan found to
    write nothing still writes nothing. Per table: the count and the XOR of a 64-bit hash of
    each row's text (rows are unique by id, so nothing cancels; an accidental match is one in
    2**64). Summed up inside PostgreSQL in one query, no sort: a fraction of a second for
    200,000 people, against seconds to load and diff them in Python. None elsewhere, where the
    caller simply plans again.
    """
    if connection.vendor != "postgresql":
        return None
    quote = connection.ops.quote_name

    def digest(model, names: tuple[str, ...], where: str = "") -> str:
        meta = model._meta
        columns = ", ".join(
            quote(meta.pk.column if name == "pk" else meta.get_field(name).column) for name in names
        )
        return (
            f"(SELECT count(*) || '/' || coalesce(bit_xor(hashtextextended(ROW({columns})::text,"
            f" 0)), 0) FROM {quote(meta.db_table)} {where})"
        )

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join(
                [
                    digest(User, USER_COLUMNS),
                    digest(OrgUnit, UNIT_COLUMNS, "WHERE valid_to IS NULL"),
                    digest(DxProAssignment, ("user", "unit"), "WHERE fiscal_year = %s"),
                ]
            ),
            [fiscal_year],
        )
        return ":".join(cursor.fetchone())


def dx_pro_unit(unit: UnitNode) -> UnitNode:
    """A DX PRO leads their 課: the section above a 係, else the unit they sit in."""
    if unit.kind == OrgUnitKind.UNIT and unit.parent is not None:
        return unit.parent
    return unit


def build_plan(
    *,
    parsed: ParsedRoster,
    full_roster: bool,
    fiscal_year: int,
    protected_user_id: int | None = None,
    progress: Progress | None = None,
) -> RosterPlan:
    """Check every line and diff the file against the database, writing nothing."""
    plan = RosterPlan(
        total_rows=len(parsed.lines),
        keep_kana=not parsed.has("kana"),
        keep_joined_on=not parsed.has("joined_on"),
    )
    checker = LineChecker(parsed)
    units = UnitResolver.load()
    plan.units = units
    existing = load_existing_users()
    # Superusers, admin accounts and anyone whose rights go beyond HR's: never changed here.
    protected = set(
        User.objects.filter(access.above_hr()).values_list("employee_number", flat=True)
    )
    email_owner = {
        user.email.lower(): user.employee_number for user in existing.values() if user.email
    }
    file_numbers: set[str] = set()
    error_lines: set[int] = set()
    rows: list[tuple[RosterRow, UnitNode]] = []

    total = len(parsed.lines)
    for index, (line, cells) in enumerate(parsed.lines, start=1):
        row, errors = checker.check(line, cells)
        if row is not None:
            file_numbers.add(row.employee_number)
            unit, conflicts = units.resolve(row.path, line=line)
            if conflicts:
                errors = [
                    RowError(line, _column_header(parsed, conflict.field), conflict.message)
                    for conflict in conflicts
                ]
            else:
                rows.append((row, unit))
        if errors:
            plan.errors.extend(errors)
            error_lines.add(line)
        if progress and index % 5000 == 0:
            progress(index, total)

    holders_to_clear: set[int] = set()
    for row, _unit in rows:
        holder = email_owner.get(row.email) if row.email else None
        if holder is None or holder == row.employee_number:
            continue
        if holder in file_numbers and holder not in protected:
            # A swap inside the file: the holder gets another address in the same import.
            holders_to_clear.add(existing[holder].pk)
            continue
        if holder in protected:
            message = _(
                "This e-mail address is used by staff member %(number)s, whose account a "
                "roster import cannot change."
            )
        else:
            message = _(
                "This e-mail address is already used by staff member %(number)s, who is not "
                "in this file."
            )
        plan.errors.append(RowError(row.line, parsed.header("email"), message % {"number": holder}))
        error_lines.add(row.line)

    for row, unit in rows:
        if row.employee_number in protected and _differs(
            existing[row.employee_number],
            row,
            unit,
            keep_kana=plan.keep_kana,
            keep_joined_on=plan.keep_joined_on,
            from_roster=False,
        ):
            plan.errors.append(
                RowError(
                    row.line,
                    parsed.header("employee_number"),
                    _(
                        "Staff member %(number)s holds rights beyond HR's (administrator or "
                        "CMS rights), so a roster import cannot change this account. Ask a "
                        "system administrator to change it."
                    )
                    % {"number": row.employee_number},
                )
            )
            error_lines.add(row.line)

    plan.error_lines = len(error_lines)
    plan.errors.sort(key=lambda error: error.line or 0)
    if plan.errors:
        return plan

    for row, unit in rows:
        user = existing.get(row.employee_number)
        row_from_roster = row.employee_number not in protected
        if user is None:
            plan.creates.append((row, unit))
        elif _differs(
            user,
            row,
            unit,
            keep_kana=plan.keep_kana,
            keep_joined_on=plan.keep_joined_on,
            from_roster=row_from_roster,
        ):
            plan.updates.append(PlannedUpdate(user=user, row=row, unit=unit))
        else:
            plan.unchanged += 1
    plan.email_holders_to_clear = sorted(holders_to_clear)

    if full_roster:
        # In employee-number order: the preview lists these people, a page at a time.
        plan.deactivate_ids = [
            user.pk
            for number, user in sorted(existing.items())
            if user.is_active
            and user.from_roster
            and number not in protected
            and user.pk != protected_user_id
            and number not in file_numbers
        ]

    assigned = set(
        DxProAssignment.objects.filter(fiscal_year=fiscal_year).values_list("user_id", "unit_id")
    )
    for row, unit in rows:
        if not row.dx_pro:
            continue
        lead_unit = dx_pro_unit(unit)
        user = existing.get(row.employee_number)
        if user is None or lead_unit.pk is None or (user.pk, lead_unit.pk) not in assigned:
            plan.dx_pro.append((row.employee_number, lead_unit))
    return plan


def _column_header(parsed: ParsedRoster, field_name: str) -> str:
    known = {name for pair in LEVEL_FIELDS for name in pair}
    return parsed.header(field_name) if field_name in known else field_name


def _differs(
    user: ExistingUser,
    row: RosterRow,
    unit: UnitNode,
    *,
    keep_kana: bool,
    keep_joined_on: bool = True,
    from_roster: bool = True,
) -> bool:
    """Would the line change the person? ``from_roster=False`` leaves out whether the account
    came from a roster and the starting language (the import never sets either on a
    protected account): a protected account that matches its line is simply unchanged."""
    return (
        unit.pk is None
        or user.unit_id != unit.pk
        or user.email != row.email
        or user.display_name != row.display_name
        or (not keep_kana and user.kana != row.kana)
        or (not keep_joined_on and user.joined_on != row.joined_on)
        or (from_roster and bool(row.language) and not user.language)
        or user.position != row.position
        or user.employment_type != row.employment_type
        or not user.is_active
        or (from_roster and not user.from_roster)
    )
