"""Models of the lms app, split by concern and re-exported here."""

from .org import OrgUnit, OrgUnitKind
from .people import EmploymentType, Position, User, UserManager
from .roles import DxProAssignment, ManagerAssignment, RoleGroup
from .roster import RosterImport

__all__ = [
    "DxProAssignment",
    "EmploymentType",
    "ManagerAssignment",
    "OrgUnit",
    "OrgUnitKind",
    "Position",
    "RoleGroup",
    "RosterImport",
    "User",
    "UserManager",
]
