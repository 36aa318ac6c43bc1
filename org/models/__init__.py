"""Models of the organisation, split by concern and re-exported here.

- ``units``: the tree of 局 > 部 > 課 > 係 (``OrgUnit``) and its kinds;
- ``roles``: DX PROs per unit and fiscal year, managers per unit, the named role groups;
- ``roster``: one upload of HR's roster, from preview to apply.

The tables keep the names they were created with in ``lms`` (``db_table``): the models moved,
the data did not.
"""

from .roles import DxProAssignment, ManagerAssignment, RoleGroup
from .roster import RosterImport
from .units import OrgUnit, OrgUnitKind

__all__ = [
    "DxProAssignment",
    "ManagerAssignment",
    "OrgUnit",
    "OrgUnitKind",
    "RoleGroup",
    "RosterImport",
]
