"""Writing a checked roster plan: units, people and DX PRO appointments, in batches.

Called by ``processing.roster_import_apply`` inside its transaction (and by nothing else);
every statement is batched so that 100,000 people cost a few hundred statements.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils import timezone

from core.db import bulk_update_values
from core.fiscal import fiscal_year_start

from ..models import DxProAssignment, OrgUnit
from ..paths import child_path, parent_path, step_of
from .planning import PlannedUpdate, RosterPlan
from .progress import ProgressReporter
from .units import UnitNode

User = get_user_model()

BATCH_SIZE = 2000

T = TypeVar("T")


def _batches(items: list[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_plan(
    plan: RosterPlan, *, reporter: ProgressReporter, fiscal_year: int, today: dt.date | None = None
) -> None:
    """Write a valid plan. Call inside a transaction; every statement is batched.

    ``today`` is the day the changes take effect (default: today in Asia/Tokyo): a new
    person, or one whose unit changes, is recorded in their unit since then
    (``User.unit_since``), the date a due date "N days after moving in" counts from.
    """
    now = timezone.now()
    today = today or timezone.localdate()
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
                joined_on=row.joined_on,
                unit_since=today,
                language=row.language,
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
        "unit_since",
        "language",
    ]
    if not plan.keep_kana:
        update_fields.append("kana")
    if not plan.keep_joined_on:
        update_fields.append("joined_on")
    for batch in _batches(plan.updates):
        _update_users(batch, update_fields, today=today)
        done += len(batch)
        progress(done, total)

    for ids in _batches(plan.deactivate_ids):
        User.objects.filter(pk__in=ids).update(is_active=False, deactivated_at=now)
        done += len(ids)
        progress(done, total)

    _write_dx_pro(plan, created=created, fiscal_year=fiscal_year)
    reporter.set(99)


def _update_users(batch: list[PlannedUpdate], fields: list[str], *, today: dt.date) -> None:
    """Write changed people: one ``UPDATE ... FROM (VALUES ...)`` per batch (``core.db``);
    ``bulk_update`` builds a CASE per column in Python, about a second per thousand people."""
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
            joined_on=update.row.joined_on,
            # The roster's language is a start: a language the person has is never replaced.
            language=update.user.language or update.row.language,
            # A transfer: in the new unit from today; otherwise the date stays.
            unit_since=(today if update.user.unit_id != update.unit.pk else update.user.unit_since),
        )
        for update in batch
    ]
    bulk_update_values(User, users, fields, batch_size=BATCH_SIZE)


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
    included), encoded as treebeard encodes it (``org.paths``); parents' ``numchild`` is raised
    by the number of new children. Two queries to read, one insert and one update per batch,
    where ``add_child`` costs four queries per unit.
    """
    last_step: dict[str, int] = {}
    path_of: dict[int, str] = {}
    numchild: dict[int, int] = {}
    for pk, path, children in OrgUnit.objects.order_by().values_list("pk", "path", "numchild"):
        path_of[pk] = path
        numchild[pk] = children
        parent, step = parent_path(path), step_of(path)
        if step > last_step.get(parent, 0):
            last_step[parent] = step

    new_paths: dict[int, str] = {}
    added_children: dict[int, int] = {}
    rows: list[OrgUnit] = []
    for node in new_units:
        parent = node.parent
        if parent is None:
            above = ""
        elif parent.pk is not None:
            above = path_of[parent.pk]
            added_children[parent.pk] = added_children.get(parent.pk, 0) + 1
        else:
            above = new_paths[id(parent)]
        step = last_step.get(above, 0) + 1
        last_step[above] = step
        path = child_path(above, step)
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
        children_of_new[parent_path(path)] = children_of_new.get(parent_path(path), 0) + 1
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
