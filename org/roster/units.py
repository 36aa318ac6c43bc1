"""Matching the file's 部 > 課 > 係 paths to the organisation tree, in memory.

All current units (``valid_to`` null) are loaded once. A level of a line is matched by its HR
code when the file gives one (a known code with another name is a rename), otherwise by its
name under the matched parent. A department without a code is matched by name among the
current departments anywhere (cities with 局 have departments below the roots). What is not
found is planned as a new unit and created by treebeard when the import is applied.

Moving a unit to another parent is a reorganisation with history (valid_to, successor), which
the import does not guess: a code found under another parent is an error on the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import OrgUnit, OrgUnitKind
from ..paths import parent_path
from .validation import UnitCell

LEVEL_KINDS = (OrgUnitKind.DEPARTMENT, OrgUnitKind.SECTION, OrgUnitKind.UNIT)
#: The unit columns ``UnitResolver.load`` reads (of the units still open).
UNIT_COLUMNS = ("pk", "path", "depth", "kind", "code", "name")
LEVEL_FIELDS = (
    ("department", "department_code"),
    ("section", "section_code"),
    ("unit", "unit_code"),
)


@dataclass(eq=False, slots=True)
class UnitNode:
    """An existing unit (``pk`` set) or one the import will create (``pk`` None until then)."""

    pk: int | None
    parent: UnitNode | None
    kind: str
    code: str
    name: str
    depth: int
    new_name: str | None = None
    new_code: str | None = None
    created_by_line: int | None = None

    @property
    def is_new(self) -> bool:
        return self.created_by_line is not None

    @property
    def is_changed(self) -> bool:
        return self.new_name is not None or self.new_code is not None

    @property
    def current_name(self) -> str:
        return self.new_name if self.new_name is not None else self.name


@dataclass
class UnitConflict:
    field: str
    message: str


@dataclass
class UnitResolver:
    """The tree as dicts, plus the units the file adds or renames."""

    by_code: dict[str, UnitNode] = field(default_factory=dict)
    by_parent_name: dict[tuple[int, str], UnitNode] = field(default_factory=dict)
    departments_by_name: dict[str, list[UnitNode]] = field(default_factory=dict)
    nodes: list[UnitNode] = field(default_factory=list)
    resolved: dict[tuple[UnitCell, ...], UnitNode] = field(default_factory=dict)

    @classmethod
    def load(cls) -> UnitResolver:
        """One query for every current unit."""
        resolver = cls()
        by_path: dict[str, UnitNode] = {}
        rows = (
            OrgUnit.objects.filter(valid_to__isnull=True)
            .order_by("depth", "path")
            .values_list(*UNIT_COLUMNS)
        )
        for pk, path, depth, kind, code, name in rows:
            parent = by_path.get(parent_path(path)) if depth > 1 else None
            node = UnitNode(pk=pk, parent=parent, kind=kind, code=code, name=name, depth=depth)
            by_path[path] = node
            resolver._register(node)
        return resolver

    def _register(self, node: UnitNode) -> None:
        self.nodes.append(node)
        if node.code:
            self.by_code.setdefault(node.code, node)
        self.by_parent_name.setdefault((id(node.parent), node.current_name), node)
        if node.kind == OrgUnitKind.DEPARTMENT:
            self.departments_by_name.setdefault(node.current_name, []).append(node)

    def resolve(
        self, path: tuple[UnitCell, ...], *, line: int
    ) -> tuple[UnitNode | None, list[UnitConflict]]:
        """The lowest unit of the path, planning new units and renames on the way."""
        known = self.resolved.get(path)
        if known is not None:
            return known, []
        parent: UnitNode | None = None
        for level, cell in enumerate(path):
            node, conflict = self._resolve_level(level, parent, cell, line)
            if conflict:
                return None, [conflict]
            parent = node
        self.resolved[path] = parent
        return parent, []

    def _resolve_level(
        self, level: int, parent: UnitNode | None, cell: UnitCell, line: int
    ) -> tuple[UnitNode | None, UnitConflict | None]:
        kind = LEVEL_KINDS[level]
        if cell.code:
            node = self.by_code.get(cell.code)
            if node is not None:
                return self._check_coded(node, level, parent, cell)
        node = self._find_by_name(level, parent, cell.name)
        if node is not None and (not cell.code or not node.code or node.code == cell.code):
            if cell.code and not node.code:
                if node.is_new:
                    node.code = cell.code
                else:
                    node.new_code = cell.code
                self.by_code[cell.code] = node
            return node, None
        node = UnitNode(
            pk=None,
            parent=parent,
            kind=kind,
            code=cell.code,
            name=cell.name,
            depth=(parent.depth + 1) if parent else 1,
            created_by_line=line,
        )
        self._register(node)
        return node, None

    def _find_by_name(self, level: int, parent: UnitNode | None, name: str) -> UnitNode | None:
        if level == 0:
            node = self.by_parent_name.get((id(None), name))
            if node is not None and node.kind == OrgUnitKind.DEPARTMENT:
                return node
            candidates = self.departments_by_name.get(name, [])
            return candidates[0] if len(candidates) == 1 else None
        return self.by_parent_name.get((id(parent), name))

    def _check_coded(
        self, node: UnitNode, level: int, parent: UnitNode | None, cell: UnitCell
    ) -> tuple[UnitNode | None, UnitConflict | None]:
        name_field, code_field = LEVEL_FIELDS[level]
        if node.kind != LEVEL_KINDS[level]:
            return None, UnitConflict(
                code_field,
                _("The code %(code)s belongs to “%(name)s”, which is not a %(kind)s.")
                % {"code": cell.code, "name": node.name, "kind": LEVEL_KINDS[level].label},
            )
        if level > 0 and node.parent is not parent:
            return None, UnitConflict(
                code_field,
                _(
                    "The code %(code)s belongs to “%(name)s” under “%(parent)s”; moving a unit "
                    "to another department or section is done in the organisation admin."
                )
                % {
                    "code": cell.code,
                    "name": node.current_name,
                    "parent": node.parent.current_name if node.parent else "-",
                },
            )
        if node.current_name != cell.name:
            if node.is_new or node.new_name is not None:
                return None, UnitConflict(
                    name_field,
                    _("The code %(code)s is used with two names in the file: “%(a)s” and “%(b)s”.")
                    % {"code": cell.code, "a": node.current_name, "b": cell.name},
                )
            node.new_name = cell.name
            self.by_parent_name.setdefault((id(node.parent), cell.name), node)
        return node, None

    def new_units(self) -> list[UnitNode]:
        return [node for node in self.nodes if node.is_new]

    def changed_units(self) -> list[UnitNode]:
        return [node for node in self.nodes if not node.is_new and node.is_changed]
