"""What an audit entry was done to, in words: 「研修の割当て：DX基礎研修（市民課）」.

The log keeps a target as a model label and an id (``lms.assignment`` #5), which means nothing
to HR. Each app that writes entries about its own rows registers a *describer* for its label:
a function that takes the ids of one page of entries and returns a name for each, in one
query. Apps above audit register in their ``AppConfig.ready`` (audit never imports them);
the labels of the layers below (org, auth) are registered here. A target whose row is gone
or whose kind nobody registered still reads as its kind and number, never as a code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from org.models import DxProAssignment, ManagerAssignment, RoleGroup, RosterImport

from .selectors import FORMER_TARGET_TYPES

#: ids (as stored, strings) -> the name of each row found.
Describer = Callable[[list[str]], dict[str, str]]


@dataclass(frozen=True)
class TargetKind:
    label: str | Promise
    describe: Describer


_KINDS: dict[str, TargetKind] = {}


def register(model_label: str, kind: str | Promise, describe: Describer) -> None:
    """Name the targets of ``model_label`` ("app.model") as ``kind``: the name of each."""
    _KINDS[model_label] = TargetKind(kind, describe)


def _current_label(model_label: str) -> str:
    former = {old: new for new, old in FORMER_TARGET_TYPES.items()}
    return former.get(model_label, model_label)


def _int_ids(ids: Iterable[str]) -> list[int]:
    return [int(pk) for pk in ids if pk.isdigit()]


def target_labels(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """``{(target_type, target_id): "kind：name"}`` for the pairs, one query per kind."""
    by_type: dict[str, set[str]] = defaultdict(set)
    for target_type, target_id in pairs:
        if target_type:
            by_type[target_type].add(target_id)
    labels: dict[tuple[str, str], str] = {}
    for target_type, ids in by_type.items():
        kind = _KINDS.get(_current_label(target_type))
        names = kind.describe(sorted(ids)) if kind else {}
        kind_label = str(kind.label) if kind else gettext("Record")
        for target_id in ids:
            name = names.get(target_id)
            labels[(target_type, target_id)] = (
                gettext("%(kind)s: %(name)s") % {"kind": kind_label, "name": name}
                if name
                else gettext("%(kind)s (no. %(id)s)") % {"kind": kind_label, "id": target_id}
            )
    return labels


# --- the kinds of the layers below audit ------------------------------------------------------


def _roster_imports(ids: list[str]) -> dict[str, str]:
    rows = RosterImport.objects.filter(pk__in=_int_ids(ids)).values_list("pk", "file_name")
    return {str(pk): name for pk, name in rows}


def _appointments(model) -> Describer:
    def describe(ids: list[str]) -> dict[str, str]:
        rows = model.objects.filter(pk__in=_int_ids(ids)).values_list(
            "pk", "user__display_name", "unit__name"
        )
        return {
            str(pk): gettext("%(person)s (%(unit)s)") % {"person": person, "unit": unit}
            for pk, person, unit in rows
        }

    return describe


def _groups(ids: list[str]) -> dict[str, str]:
    names = dict(RoleGroup.choices)
    rows = Group.objects.filter(pk__in=_int_ids(ids)).values_list("pk", "name")
    return {str(pk): str(names.get(name, name)) for pk, name in rows}


register("org.rosterimport", _("Roster import"), _roster_imports)
register("org.dxproassignment", _("DX PRO appointment"), _appointments(DxProAssignment))
register("org.managerassignment", _("Manager appointment"), _appointments(ManagerAssignment))
register("auth.group", _("Role group"), _groups)
