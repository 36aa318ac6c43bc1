"""Models of the lms app, split by concern and re-exported here."""

from .assignments import (
    OPEN_STATUSES,
    Assignment,
    AssignmentStatus,
    Enrollment,
    EnrollmentStatus,
    FanOutStatus,
)
from .certificates import Certificate
from .org import OrgUnit, OrgUnitKind
from .people import EmploymentType, Position, User, UserManager
from .reminders import ReminderKind, ReminderLog
from .roles import DxProAssignment, ManagerAssignment, RoleGroup
from .roster import RosterImport
from .stats import UnitCourseStats

__all__ = [
    "OPEN_STATUSES",
    "Assignment",
    "AssignmentStatus",
    "Certificate",
    "DxProAssignment",
    "EmploymentType",
    "Enrollment",
    "EnrollmentStatus",
    "FanOutStatus",
    "ManagerAssignment",
    "OrgUnit",
    "OrgUnitKind",
    "Position",
    "ReminderKind",
    "ReminderLog",
    "RoleGroup",
    "RosterImport",
    "UnitCourseStats",
    "User",
    "UserManager",
]
