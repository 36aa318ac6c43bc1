"""Reads of the organisation that span relations: the roster page's tree and people list.

Every selector takes the viewer and scopes through :mod:`org.access`, so a manager or a DX PRO
never sees beyond their units whatever the caller passes in. Query counts are fixed: the tree is
one query for the units plus one aggregate for the member counts, the people list is one query
per page (plus the paginator's count), and the units' full names one more.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Replace

from core.fiscal import current_fiscal_year

from . import access
from .models import DxProAssignment, OrgUnit
from .paths import ancestor_paths, nearest_in, parent_path, sum_by_ancestor
from .people import Position

User = get_user_model()

if TYPE_CHECKING:
    import datetime as dt

    from django.contrib.auth.models import AnonymousUser

#: Position order for sorting a unit's people: heads first, as on HR's printed roster.
POSITION_RANK = {value: rank for rank, value in enumerate(Position.values)}

_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)}


def normalize_search_query(query: str) -> str:
    """NFKC (full-width digits and letters, half-width katakana) and trimmed.

    ``"１２３４"`` becomes ``"1234"``, ``"ﾔﾏﾀﾞ"`` becomes ``"ヤマダ"``, an ideographic space a plain
    one.
    """
    return " ".join(unicodedata.normalize("NFKC", query or "").split())


def _without_spaces(field: str) -> Replace:
    """The column with ASCII and ideographic spaces removed, for "山田太郎" vs "山田 太郎"."""
    return Replace(Replace(F(field), Value(" "), Value("")), Value("\u3000"), Value(""))


def _search_condition(query: str) -> Q:
    """Every word must match 職員番号, name, kana or e-mail; or the whole query, spaces removed,
    matches the name or kana (so "山田太郎" finds "山田 太郎" and the other way round)."""
    words = normalize_search_query(query).split(" ")
    each_word = Q()
    for word in words:
        each_word &= (
            Q(employee_number__icontains=word)
            | Q(email__icontains=word)
            | Q(_name_compact__icontains=word)
            | Q(_kana_compact__icontains=word.translate(_HIRAGANA_TO_KATAKANA))
        )
    compact = "".join(words)
    return (
        each_word
        | Q(_name_compact__icontains=compact)
        | Q(_kana_compact__icontains=compact.translate(_HIRAGANA_TO_KATAKANA))
    )


def people_in_unit(
    viewer: User | AnonymousUser,
    *,
    unit: OrgUnit | None = None,
    query: str = "",
    active: bool | None = True,
    fiscal_year: int | None = None,
) -> QuerySet[User]:
    """The people ``viewer`` may see in ``unit`` and everything below it.

    ``unit=None`` means everyone the viewer may see. ``query`` matches 職員番号, name, kana
    (hiragana input matches katakana) or e-mail, after NFKC normalisation; several words must
    all match. ``active`` is True for current staff, False for those who left, None for both.
    Each row carries ``is_dx_pro`` for the fiscal year and its unit (``select_related``);
    subtree membership is one indexed prefix condition on the unit's path.
    """
    year = fiscal_year or current_fiscal_year()
    people = access.visible_people(viewer, fiscal_year=year)
    if unit is not None:
        people = people.filter(unit__path__startswith=unit.path)
    if active is not None:
        people = people.filter(is_active=active)
    if query and normalize_search_query(query):
        people = people.alias(
            _name_compact=_without_spaces("display_name"),
            _kana_compact=_without_spaces("kana"),
        ).filter(_search_condition(query))
    position_rank = Case(
        *(When(position=value, then=Value(rank)) for value, rank in POSITION_RANK.items()),
        default=Value(len(POSITION_RANK)),
        output_field=IntegerField(),
    )
    return (
        people.select_related("unit")
        .annotate(
            is_dx_pro=Exists(DxProAssignment.objects.filter(user=OuterRef("pk"), fiscal_year=year)),
            position_rank=position_rank,
        )
        .order_by(F("unit__path").asc(nulls_last=True), "position_rank", "employee_number")
    )


def org_tree_for(
    viewer: User | AnonymousUser,
    *,
    on: dt.date | None = None,
    fiscal_year: int | None = None,
) -> list[dict[str, Any]]:
    """The current units ``viewer`` may see, nested, each with its active member count.

    Returns the top nodes of the viewer's scope (the 部 for HR, the managed 課 for a 課長):
    ``{"id", "name", "kind", "code", "path", "depth", "members", "children"}``, where
    ``members`` counts active people in the unit and everything below it, including people
    still recorded in a unit that has since been closed. Two queries, whatever the size of
    the tree: the units, and one aggregate of people per unit path.
    """
    year = fiscal_year or current_fiscal_year()
    # Depth first so that every ancestor is placed before its children; siblings by HR code.
    units = (
        access.visible_units(viewer, fiscal_year=year)
        .current(on)
        .order_by("depth", "code", "name")
        .values("id", "name", "kind", "code", "path", "depth")
    )
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for unit in units:
        # The nearest visible ancestor adopts the node; a node without one tops the tree.
        parent = nearest_in(parent_path(unit["path"]), nodes)
        node = {**unit, "members": 0, "children": []}
        nodes[unit["path"]] = node
        (parent["children"] if parent is not None else roots).append(node)
    if not nodes:
        return roots

    counts = (
        access.visible_people(viewer, fiscal_year=year)
        .filter(is_active=True, unit__isnull=False)
        .values_list("unit__path")
        .annotate(members=Count("pk"))
        .order_by()
    )
    for path, members in sum_by_ancestor(counts).items():
        if path in nodes:
            nodes[path]["members"] = members
    return roots


def unit_full_names(units: Iterable[OrgUnit | None]) -> dict[int, str]:
    """``{unit id: "総務部 人事課 人事係"}`` for the given units: one query for all ancestors."""
    units = [unit for unit in units if unit is not None]
    if not units:
        return {}
    wanted = {path for unit in units for path in ancestor_paths(unit.path)}
    names = dict(OrgUnit.objects.filter(path__in=wanted).values_list("path", "name"))
    return {
        unit.pk: " ".join(names[path] for path in ancestor_paths(unit.path) if path in names)
        for unit in units
    }
