"""Materialised-path arithmetic of the organisation tree, in one place.

A unit's ``path`` (treebeard's ``MP_Node``) is the steps of its ancestors and its own step
concatenated, ``STEPLEN`` characters each, in base ``len(ALPHABET)``: 部 ``0001``, its 課
``00010003``, that 課's 係 ``000100030002``. So "everything under a unit" is one indexed
``path LIKE 'prefix%'``, a unit's ancestors are the prefixes of its path, and a figure rolls
up to every ancestor by cutting its path. ``OrgUnit`` takes its encoding from here, and
``tests/org/test_paths.py`` pins it to treebeard's own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import reduce
from operator import or_
from typing import TypeVar

from django.db.models import Q

T = TypeVar("T")

#: Characters per level and the digits of a step: treebeard's defaults, stated here.
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def ancestor_paths(path: str, *, include_self: bool = True) -> list[str]:
    """The paths of the unit's ancestors from the top down, then its own (no query)."""
    end = len(path) + 1 if include_self else len(path)
    return [path[:cut] for cut in range(STEPLEN, end, STEPLEN)]


def parent_path(path: str) -> str:
    """The parent's path; ``""`` for a top unit."""
    return path[:-STEPLEN]


def nearest_in(path: str, by_path: Mapping[str, T]) -> T | None:
    """What ``by_path`` holds for the unit at ``path`` or, failing that, for its nearest
    ancestor: a section's department among the departments, by path (no query)."""
    for cut in range(len(path), 0, -STEPLEN):
        if path[:cut] in by_path:
            return by_path[path[:cut]]
    return None


def is_under(path: str, prefixes: Iterable[str]) -> bool:
    """Whether the unit at ``path`` is one of ``prefixes`` or lies below one."""
    return any(path.startswith(prefix) for prefix in prefixes)


def minimal_paths(paths: Iterable[str]) -> list[str]:
    """The paths not already covered by a shorter one of them: the fewest prefixes that
    select the same subtrees."""
    kept: list[str] = []
    for path in sorted(set(paths), key=lambda path: (len(path), path)):
        if not is_under(path, kept):
            kept.append(path)
    return kept


def under(field: str, paths: Iterable[str]) -> Q:
    """``field`` (a path, e.g. ``"user__unit__path"``) in any of the subtrees of ``paths``:
    one prefix condition per subtree, served by the path index. Nothing when ``paths`` is
    empty."""
    conditions = [Q(**{f"{field}__startswith": path}) for path in minimal_paths(paths)]
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


def sum_by_ancestor(pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Roll figures up the tree: each ``(path, n)`` adds ``n`` to its unit and to every
    ancestor. The cost is the figures times the depth, not units times figures."""
    sums: dict[str, int] = defaultdict(int)
    for path, count in pairs:
        for prefix in ancestor_paths(path or ""):
            sums[prefix] += count
    return sums


def sum_figures_by_ancestor(
    rows: Iterable[tuple[str, Mapping[str, int]]], names: Iterable[str]
) -> dict[str, dict[str, int]]:
    """``sum_by_ancestor`` for several figures at once (enrolled, completed, ...)."""
    names = list(names)
    sums: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(names, 0))
    for path, figures in rows:
        for prefix in ancestor_paths(path or ""):
            bucket = sums[prefix]
            for name in names:
                bucket[name] += figures[name]
    return sums


def step_of(path: str) -> int:
    """The number of the unit among its siblings, decoded from the end of its path."""
    return int(path[-STEPLEN:], len(ALPHABET))


def child_path(parent: str, step: int) -> str:
    """The path of the ``step``-th child of the unit at ``parent`` (``""``: a top unit)."""
    base = len(ALPHABET)
    digits = ""
    while step:
        step, digit = divmod(step, base)
        digits = ALPHABET[digit] + digits
    if len(digits) > STEPLEN:
        raise OverflowError(f"A unit cannot have more than {base**STEPLEN - 1} children.")
    return parent + digits.rjust(STEPLEN, ALPHABET[0])
