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
from .people import User, UserManager
from .reminders import ReminderKind, ReminderLog
from .scheduled_reports import Delivery, ExportFormat, Frequency, PeopleFilter, ScheduledReport
from .stats import UnitCourseStats

__all__ = [
    "OPEN_STATUSES",
    "ActivationCode",
    "ActivationIssue",
    "Assignment",
    "AssignmentStatus",
    "Certificate",
    "Delivery",
    "Enrollment",
    "EnrollmentStatus",
    "ExportFormat",
    "FanOutStatus",
    "Frequency",
    "PeopleFilter",
    "ReminderKind",
    "ReminderLog",
    "ScheduledReport",
    "UnitCourseStats",
    "User",
    "UserManager",
]
