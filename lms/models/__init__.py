"""Models of the lms app, split by concern and re-exported here."""

from .activation import ActivationCode, ActivationIssue
from .assignments import (
    OPEN_STATUSES,
    Assignment,
    AssignmentStatus,
    Enrollment,
    EnrollmentStatus,
    FanOutStatus,
)
from .certificates import Certificate
from .channels import UnitTeamsChannel
from .people import User, UserManager
from .reminders import ReminderChannel, ReminderKind, ReminderLog
from .stats import UnitCourseStats

__all__ = [
    "OPEN_STATUSES",
    "ActivationCode",
    "ActivationIssue",
    "Assignment",
    "AssignmentStatus",
    "Certificate",
    "Enrollment",
    "EnrollmentStatus",
    "FanOutStatus",
    "ReminderChannel",
    "ReminderKind",
    "ReminderLog",
    "UnitCourseStats",
    "UnitTeamsChannel",
    "User",
    "UserManager",
]
