"""A demo city to try the product with: about 800 staff in a 部/課/係 tree, DX PROs and
one sign-in account per role.

``demo_city_seed`` first plans the whole city in memory from ``staff`` and ``seed`` alone (so
the same arguments always describe the same city), then writes only what is missing: units
by HR code, people by 職員番号, DX PRO appointments by (person, unit, fiscal year). A second
run with the same arguments therefore changes nothing. People are written with
``bulk_create``; generated staff get no usable password (as after a roster import: they would
set one through the reset e-mail), the demo accounts share one published demo password.

All names are composed from short lists of common family and given names written for this
module; the units are typical of a Japanese city of this size but belong to no real one.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from core.fiscal import current_fiscal_year, fiscal_year_start
from lms.models import User
from org.models import DxProAssignment, OrgUnit, OrgUnitKind, RoleGroup
from org.people import EmploymentType, Position

from .data import (
    DEMO_PASSWORD,
    DEPARTMENTS,
    DEPARTMENTS_WITH_DEPUTY,
    EMAIL_DOMAIN,
    FAMILY_NAMES,
    FIXED_TERM_SHARE,
    GIVEN_NAMES,
    REAPPOINTED_SHARE,
    SECTIONS_WITHOUT_DX_PRO,
    SENIOR_STAFF_SHARE,
    STAFF_FOR_SECOND_DX_PRO,
    UNITS_FOR_ASSISTANT_CHIEF,
)


# --- the sign-in accounts, one per role ----------------------------------------------------
@dataclass(frozen=True)
class DemoAccount:
    """A demo sign-in account: where it sits and what it may do."""

    role: str
    employee_number: str
    display_name: str
    kana: str
    email_local: str
    unit_path: tuple[str, ...]
    position: str
    superuser: bool = False
    groups: tuple[str, ...] = ()
    dx_pro_of: tuple[str, ...] | None = None


DEMO_ACCOUNTS = [
    DemoAccount(
        "admin",
        "9000001",
        "デモ 管理者",
        "デモ カンリシャ",
        "demo-admin",
        ("総務部", "DX推進課", "情報システム係"),
        Position.SENIOR_STAFF,
        superuser=True,
    ),
    DemoAccount(
        "hr",
        "9000002",
        "デモ 人事担当",
        "デモ ジンジタントウ",
        "demo-hr",
        ("総務部", "人事課", "研修厚生係"),
        Position.SENIOR_STAFF,
        groups=(RoleGroup.HR,),
    ),
    DemoAccount(
        "editor",
        "9000003",
        "デモ 編集担当",
        "デモ ヘンシュウタントウ",
        "demo-editor",
        ("総務部", "DX推進課", "DX推進係"),
        Position.CLERK,
        groups=(RoleGroup.EDITORS,),
    ),
    DemoAccount(
        "manager",
        "9000004",
        "デモ 市民課長",
        "デモ シミンカチョウ",
        "demo-manager",
        ("市民生活部", "市民課"),
        Position.SECTION_CHIEF,
    ),
    DemoAccount(
        "dx_pro",
        "9000005",
        "デモ DX PRO",
        "デモ ディーエックスプロ",
        "demo-dxpro",
        ("市民生活部", "市民課", "窓口係"),
        Position.SENIOR_STAFF,
        dx_pro_of=("市民生活部", "市民課"),
    ),
    DemoAccount(
        "staff",
        "9000006",
        "デモ 職員",
        "デモ ショクイン",
        "demo-staff",
        ("市民生活部", "市民課", "窓口係"),
        Position.CLERK,
    ),
    DemoAccount(
        "reviewer",
        "9000007",
        "デモ 審査担当",
        "デモ シンサタントウ",
        "demo-reviewer",
        ("総務部", "DX推進課", "DX推進係"),
        Position.SENIOR_STAFF,
        groups=(RoleGroup.REVIEWERS,),
    ),
]


# --- the plan -----------------------------------------------------------------------------
@dataclass
class UnitPlan:
    code: str
    name: str
    kind: str
    names: tuple[str, ...]  # the path of names from the 部 down, e.g. ("総務部", "人事課")
    parent_code: str | None = None
    technical: bool = False
    weight: int = 0


@dataclass
class PersonPlan:
    employee_number: str
    display_name: str
    kana: str
    email: str
    unit_code: str
    position: str
    employment_type: str = EmploymentType.REGULAR
    is_active: bool = True
    account: DemoAccount | None = None


@dataclass
class CityPlan:
    units: list[UnitPlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    dx_pros: list[tuple[str, str]] = field(default_factory=list)  # (employee number, 課 code)
    sections_without_dx_pro: list[str] = field(default_factory=list)


def _plan_units() -> list[UnitPlan]:
    """部 ``DD0000``, 課 ``DDSS00``, 係 ``DDSSUU``: six-digit HR codes as many systems use."""
    units: list[UnitPlan] = []
    for d, (dept_name, sections) in enumerate(DEPARTMENTS, start=1):
        dept = UnitPlan(f"{d:02d}0000", dept_name, OrgUnitKind.DEPARTMENT, (dept_name,))
        units.append(dept)
        for s, (section_name, technical, unit_rows) in enumerate(sections, start=1):
            section = UnitPlan(
                f"{d:02d}{s:02d}00",
                section_name,
                OrgUnitKind.SECTION,
                (dept_name, section_name),
                parent_code=dept.code,
                technical=technical,
            )
            units.append(section)
            for u, (unit_name, weight) in enumerate(unit_rows, start=1):
                units.append(
                    UnitPlan(
                        f"{d:02d}{s:02d}{u:02d}",
                        unit_name,
                        OrgUnitKind.UNIT,
                        (dept_name, section_name, unit_name),
                        parent_code=section.code,
                        technical=technical,
                        weight=weight,
                    )
                )
    return units


def _allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder, deterministic)."""
    weight_sum = sum(weights)
    shares = [total * w / weight_sum for w in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


class _NameMaker:
    """Unique-as-possible names and e-mail addresses, drawn in a seeded order."""

    def __init__(self, rng: random.Random, reserved_emails: set[str]):
        self.rng = rng
        self.pairs = [(f, g) for f in FAMILY_NAMES for g in GIVEN_NAMES]
        rng.shuffle(self.pairs)
        self.index = 0
        self.emails = set(reserved_emails)

    def next(self) -> tuple[str, str, str]:
        if self.index < len(self.pairs):
            family, given = self.pairs[self.index]
        else:  # a very large city: names repeat, as they do in real ones
            family, given = self.rng.choice(self.pairs)
        self.index += 1
        local = base = f"{family[2]}-{given[2]}"
        n = 1
        while f"{local}@{EMAIL_DOMAIN}" in self.emails:
            n += 1
            local = f"{base}{n}"
        email = f"{local}@{EMAIL_DOMAIN}"
        self.emails.add(email)
        return f"{family[0]} {given[0]}", f"{family[1]} {given[1]}", email


def minimum_staff() -> int:
    """The smallest city the plan can fill: every head post and every demo account."""
    units = _plan_units()
    sections = [u for u in units if u.kind == OrgUnitKind.SECTION]
    heads = sum(1 for u in units if u.kind != OrgUnitKind.SECTION) + len(sections)
    heads += len(DEPARTMENTS_WITH_DEPUTY)
    heads += sum(
        1
        for s in sections
        if sum(1 for u in units if u.parent_code == s.code) >= UNITS_FOR_ASSISTANT_CHIEF
    )
    # The demo manager is the head of its section; the other accounts come on top.
    return heads + len(DEMO_ACCOUNTS) - 1


def demo_city_plan(*, staff: int = 800, seed: int = 2026) -> CityPlan:
    """Describe the whole demo city in memory, from ``staff`` and ``seed`` only.

    ``staff`` counts the active people including the demo accounts; about one in a hundred
    former staff (inactive) come on top.
    """
    if staff < minimum_staff():
        raise ValueError(f"The demo city needs at least {minimum_staff()} staff.")
    rng = random.Random(seed)
    plan = CityPlan(units=_plan_units())
    by_names = {unit.names: unit for unit in plan.units}
    children: dict[str, list[UnitPlan]] = {}
    for unit in plan.units:
        if unit.parent_code:
            children.setdefault(unit.parent_code, []).append(unit)

    accounts_emails = {f"{a.email_local}@{EMAIL_DOMAIN}" for a in DEMO_ACCOUNTS}
    names = _NameMaker(rng, accounts_emails)
    inactive = max(1, staff // 100)
    numbers = iter(str(n) for n in rng.sample(range(1_000_001, 1_999_999), staff + inactive))
    account_units = {(a.position, by_names[a.unit_path].code): a for a in DEMO_ACCOUNTS}

    def person(unit: UnitPlan, position: str, **extra: Any) -> PersonPlan:
        display_name, kana, email = names.next()
        return PersonPlan(next(numbers), display_name, kana, email, unit.code, position, **extra)

    # Heads: 部長 (and 次長) in the 部, 課長 (and 課長補佐) in the 課, 係長 in each 係.
    for unit in plan.units:
        if unit.kind == OrgUnitKind.DEPARTMENT:
            plan.people.append(person(unit, Position.DIRECTOR))
            if unit.name in DEPARTMENTS_WITH_DEPUTY:
                plan.people.append(person(unit, Position.DEPUTY_DIRECTOR))
        elif unit.kind == OrgUnitKind.SECTION:
            if (Position.SECTION_CHIEF, unit.code) not in account_units:
                plan.people.append(person(unit, Position.SECTION_CHIEF))
            if len(children[unit.code]) >= UNITS_FOR_ASSISTANT_CHIEF:
                plan.people.append(person(unit, Position.ASSISTANT_CHIEF))
        else:
            plan.people.append(person(unit, Position.UNIT_CHIEF))

    # Everyone else: spread over the 係 by size, then employment types drawn at random.
    leaf_units = [unit for unit in plan.units if unit.kind == OrgUnitKind.UNIT]
    others = staff - len(plan.people) - len(DEMO_ACCOUNTS)
    members: list[PersonPlan] = []
    for unit, count in zip(
        leaf_units, _allocate(others, [u.weight for u in leaf_units]), strict=True
    ):
        for _ in range(count):
            members.append(person(unit, Position.CLERK))
    fixed_term = min(round(staff * FIXED_TERM_SHARE), len(members))
    reappointed = min(round(staff * REAPPOINTED_SHARE), len(members) - fixed_term)
    drawn = rng.sample(range(len(members)), fixed_term + reappointed)
    for i in drawn[:fixed_term]:
        members[i].employment_type = EmploymentType.FIXED_TERM
        members[i].position = Position.OTHER
    for i in drawn[fixed_term:]:
        members[i].employment_type = EmploymentType.REAPPOINTED
        members[i].position = Position.SENIOR_STAFF
    technical = {unit.code for unit in leaf_units if unit.technical}
    for member in members:
        if member.employment_type != EmploymentType.REGULAR:
            continue
        if rng.random() < SENIOR_STAFF_SHARE:
            member.position = Position.SENIOR_STAFF
        elif member.unit_code in technical and rng.random() < 0.7:
            member.position = Position.ENGINEER
    plan.people.extend(members)

    # Former staff, kept inactive as the roster import would.
    for _ in range(inactive):
        plan.people.append(person(rng.choice(leaf_units), Position.CLERK, is_active=False))

    # The demo accounts take their own seats.
    for account in DEMO_ACCOUNTS:
        plan.people.append(
            PersonPlan(
                account.employee_number,
                account.display_name,
                account.kana,
                f"{account.email_local}@{EMAIL_DOMAIN}",
                by_names[account.unit_path].code,
                account.position,
                account=account,
            )
        )

    # DX PROs: one in most 課 (two in large ones), none in a few on purpose.
    sections = [unit for unit in plan.units if unit.kind == OrgUnitKind.SECTION]
    account_sections = {
        by_names[a.dx_pro_of].code: a for a in DEMO_ACCOUNTS if a.dx_pro_of is not None
    }
    candidates = [s for s in sections if s.code not in account_sections]
    gaps = set(
        s.code for s in rng.sample(candidates, min(SECTIONS_WITHOUT_DX_PRO, len(candidates)))
    )
    plan.sections_without_dx_pro = [s.code for s in sections if s.code in gaps]
    people_by_section: dict[str, list[PersonPlan]] = {}
    unit_parent = {unit.code: unit.parent_code for unit in plan.units}
    for p in plan.people:
        if (
            p.is_active
            and p.account is None
            and unit_parent[p.unit_code] in {s.code for s in sections}
        ):
            people_by_section.setdefault(unit_parent[p.unit_code], []).append(p)
    for section in sections:
        if section.code in gaps:
            continue
        if section.code in account_sections:
            plan.dx_pros.append((account_sections[section.code].employee_number, section.code))
            continue
        pool = people_by_section.get(section.code, [])
        regular = [
            p
            for p in pool
            if p.employment_type == EmploymentType.REGULAR
            and p.position in {Position.SENIOR_STAFF, Position.CLERK, Position.ENGINEER}
        ]
        # Small sections may only have their 係長 to ask.
        choose_from = regular or [p for p in pool if p.position == Position.UNIT_CHIEF]
        wanted = 2 if len(pool) >= STAFF_FOR_SECOND_DX_PRO else 1
        for chosen in rng.sample(choose_from, min(wanted, len(choose_from))):
            plan.dx_pros.append((chosen.employee_number, section.code))
    return plan


# --- writing it ---------------------------------------------------------------------------
def _units_write(plan: CityPlan) -> tuple[dict[str, OrgUnit], int]:
    """Create the units that are missing (by current HR code); return all of them by code."""
    existing = {
        unit.code: unit
        for unit in OrgUnit.objects.filter(
            code__in=[u.code for u in plan.units], valid_to__isnull=True
        )
    }
    created = 0
    for spec in plan.units:  # parents come before their children
        if spec.code in existing:
            continue
        fields = {"kind": spec.kind, "code": spec.code, "name": spec.name}
        if spec.parent_code is None:
            existing[spec.code] = OrgUnit.add_root(**fields)
        else:
            existing[spec.code] = existing[spec.parent_code].add_child(**fields)
        created += 1
    return existing, created


def _people_write(plan: CityPlan, units: dict[str, OrgUnit], year: int) -> tuple[dict, int]:
    """Create the people who are missing (by 職員番号); return every planned person's id."""
    numbers = [p.employee_number for p in plan.people]
    existing = set(
        User.objects.filter(employee_number__in=numbers).values_list("employee_number", flat=True)
    )
    missing = [p for p in plan.people if p.employee_number not in existing]
    taken_emails = set(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=[p.email.lower() for p in missing])
        .values_list("email_lower", flat=True)
    )
    demo_hash = make_password(DEMO_PASSWORD)  # hashed once: every account, one password
    left_on = timezone.make_aware(dt.datetime.combine(fiscal_year_start(year), dt.time()))
    User.objects.bulk_create(
        [
            User(
                employee_number=p.employee_number,
                display_name=p.display_name,
                kana=p.kana,
                # Someone else already uses the address: better no e-mail than a clash.
                email="" if p.email.lower() in taken_emails else p.email.lower(),
                unit=units[p.unit_code],
                position=p.position,
                employment_type=p.employment_type,
                is_active=p.is_active,
                deactivated_at=None if p.is_active else left_on,
                is_superuser=bool(p.account and p.account.superuser),
                is_staff=bool(p.account and p.account.superuser),
                password=demo_hash if p.account else make_password(None),
                # Generated staff behave as if imported: a full roster replaces them.
                from_roster=p.account is None,
            )
            for p in missing
        ],
        batch_size=500,
    )
    ids = dict(
        User.objects.filter(employee_number__in=numbers).values_list("employee_number", "pk")
    )
    return ids, len(missing)


def _roles_write(plan: CityPlan, units: dict[str, OrgUnit], ids: dict, year: int) -> int:
    """Group memberships of the demo accounts and the year's DX PRO appointments."""
    for p in plan.people:
        for name in p.account.groups if p.account else ():
            group, _created = Group.objects.get_or_create(name=name)
            # Checked first: add() of an existing member still writes on some databases.
            if not group.user_set.filter(pk=ids[p.employee_number]).exists():
                group.user_set.add(ids[p.employee_number])
    wanted = {(ids[number], units[code].pk) for number, code in plan.dx_pros}
    existing = set(
        DxProAssignment.objects.filter(
            fiscal_year=year, user_id__in=[u for u, _ in wanted]
        ).values_list("user_id", "unit_id")
    )
    missing = sorted(wanted - existing)
    DxProAssignment.objects.bulk_create(
        [DxProAssignment(user_id=u, unit_id=unit, fiscal_year=year) for u, unit in missing]
    )
    return len(missing)


@transaction.atomic
def demo_city_seed(*, staff: int = 800, seed: int = 2026) -> dict[str, Any]:
    """Create the demo city, or complete it; with the same arguments a re-run changes nothing.

    Returns the city's counts, what this run created, and the demo accounts
    (role, 職員番号, e-mail, password, unit) to print for the person trying the product.
    """
    year = current_fiscal_year()
    plan = demo_city_plan(staff=staff, seed=seed)
    units, units_created = _units_write(plan)
    ids, people_created = _people_write(plan, units, year)
    dx_created = _roles_write(plan, units, ids, year)

    kinds = [unit.kind for unit in plan.units]
    names = {unit.code: " ".join(unit.names) for unit in plan.units}
    emails = dict(
        User.objects.filter(
            employee_number__in=[a.employee_number for a in DEMO_ACCOUNTS]
        ).values_list("employee_number", "email")
    )
    by_number = {p.employee_number: p for p in plan.people}
    return {
        "fiscal_year": year,
        "departments": kinds.count(OrgUnitKind.DEPARTMENT),
        "sections": kinds.count(OrgUnitKind.SECTION),
        "units": kinds.count(OrgUnitKind.UNIT),
        "staff": sum(1 for p in plan.people if p.is_active),
        "inactive": sum(1 for p in plan.people if not p.is_active),
        "fixed_term": sum(1 for p in plan.people if p.employment_type == EmploymentType.FIXED_TERM),
        "reappointed": sum(
            1 for p in plan.people if p.employment_type == EmploymentType.REAPPOINTED
        ),
        "dx_pros": len(plan.dx_pros),
        "sections_with_dx_pro": len({code for _number, code in plan.dx_pros}),
        "sections_without_dx_pro": [names[code] for code in plan.sections_without_dx_pro],
        "created": {
            "units": units_created,
            "people": people_created,
            "dx_pro_assignments": dx_created,
        },
        "password": DEMO_PASSWORD,
        "accounts": [
            {
                "role": account.role,
                "employee_number": account.employee_number,
                "email": emails.get(account.employee_number, ""),
                "password": DEMO_PASSWORD,
                "unit": names[by_number[account.employee_number].unit_code],
                "display_name": account.display_name,
            }
            for account in DEMO_ACCOUNTS
        ],
    }
