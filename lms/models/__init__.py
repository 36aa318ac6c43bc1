"""Models of the lms app, split by concern and re-exported here."""

from .activation import ActivationCode, ActivationIssue
from .assignments import (
    DUE_RULE_FIELDS,
    OPEN_STATUSES,
    Assignment,
    AssignmentStatus,
    DueRule,
    Enrollment,
    EnrollmentStatus,
    FanOutStatus,
    Recurrence,
)
from .certificates import Certificate
from .channels import UnitTeamsChannel
from .people import User, UserManager
from .reminders import ReminderChannel, ReminderKind, ReminderLog
from .stats import UnitCourseStats

__all__ = [
    "DUE_RULE_FIELDS",
    "OPEN_STATUSES",
    "ActivationCode",
    "ActivationIssue",
    "Assignment",
    "AssignmentStatus",
    "Certificate",
    "DueRule",
    "Enrollment",
    "EnrollmentStatus",
    "FanOutStatus",
    "Recurrence",
    "ReminderChannel",
    "ReminderKind",
    "ReminderLog",
    "UnitCourseStats",
    "UnitTeamsChannel",
    "User",
    "UserManager",
]
