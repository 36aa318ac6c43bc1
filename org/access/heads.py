"""Who hears about whom: the managers and DX PROs over many people, loaded at once.

Part of ``org.access`` (its docstring states the rules); import from there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from core.fiscal import current_fiscal_year, fiscal_year_of

from ..models import DxProAssignment, ManagerAssignment, OrgUnit, OrgUnitKind
from ..paths import ancestor_paths
from ..people import MANAGER_POSITIONS

User = get_user_model()

if TYPE_CHECKING:
    pass


@dataclass
class Heads:
    """The managers and DX PROs over a set of people, loaded once (four queries), so that a
    digest of many people costs the same as one.

    A person's managers are whoever manages the section (課) they belong to, by position or by
    an explicit assignment; when the section has none, the nearest managed unit above it
    (the 部長). Their DX PROs are those appointed for their unit or any unit above it.
    """

    sections: list[str]
    managers: list[tuple[User, str]]
    pros: list[tuple[User, str]]

    @classmethod
    def over(cls, people: Iterable[User], *, on: dt.date | None = None) -> Heads:
        paths = {p for person in people if person.unit_id for p in ancestor_paths(person.unit.path)}
        if not paths:
            return cls(sections=[], managers=[], pros=[])
        year = fiscal_year_of(on) if on else current_fiscal_year()
        sections = list(
            OrgUnit.objects.filter(kind=OrgUnitKind.SECTION, path__in=paths).values_list(
                "path", flat=True
            )
        )
        by_position = User.objects.filter(
            is_active=True, position__in=MANAGER_POSITIONS, unit__path__in=paths
        ).select_related("unit")
        explicit = ManagerAssignment.objects.filter(
            user__is_active=True, unit__path__in=paths
        ).select_related("user", "unit")
        pros = DxProAssignment.objects.filter(
            fiscal_year=year, user__is_active=True, unit__path__in=paths
        ).select_related("user", "unit")
        return cls(
            sections=sections,
            managers=[(m, m.unit.path) for m in by_position]
            + [(a.user, a.unit.path) for a in explicit],
            pros=[(a.user, a.unit.path) for a in pros],
        )

    def managers_of(self, person: User) -> set[User]:
        if person.unit_id is None:
            return set()
        path = person.unit.path
        enclosing = [section for section in self.sections if path.startswith(section)]
        section = max(enclosing, key=len) if enclosing else path
        above = [
            (head, unit)
            for head, unit in self.managers
            if head.pk != person.pk and section.startswith(unit)
        ]
        nearest = max((len(unit) for _head, unit in above), default=None)
        return {head for head, unit in above if len(unit) == nearest}

    def reviewers_of(self, person: User) -> set[User]:
        if person.unit_id is None:
            return set()
        path = person.unit.path
        return {pro for pro, unit in self.pros if pro.pk != person.pk and path.startswith(unit)}


def managers_of(person: User) -> set[User]:
    """Who manages ``person``: the managers of their section, else the nearest above it."""
    return Heads.over([person]).managers_of(person)
