"""Models of the lms app, split by concern and re-exported here."""

from .activation import ActivationCode, ActivationIssue
from .assignments import (
    DUE_RULE_FIELDS,
    OPEN_STATUSES,
    RECURRENCE_MONTHS,
    Assignment,
    AssignmentStatus,
    DueRule,
    Enrollment,
    EnrollmentStatus,
    FanOutStatus,
    Recurrence,
    assignment_in_current_cycle,
    course_cycle,
    course_cycles,
    in_current_cycle,
)
from .certificates import Certificate
from .channels import UnitTeamsChannel
from .people import User, UserManager
from .reminders import ReminderChannel, ReminderKind, ReminderLog
from .scheduled_reports import (
    Delivery,
    ExportFormat,
    Frequency,
    PeopleFilter,
    ScheduledReport,
    ScheduledReportDelivery,
)
from .stats import UnitCourseStats

__all__ = [
    "DUE_RULE_FIELDS",
    "OPEN_STATUSES",
    "RECURRENCE_MONTHS",
    "ActivationCode",
    "ActivationIssue",
    "Assignment",
    "AssignmentStatus",
    "Certificate",
    "Delivery",
    "DueRule",
    "Enrollment",
    "EnrollmentStatus",
    "ExportFormat",
    "FanOutStatus",
    "Frequency",
    "PeopleFilter",
    "Recurrence",
    "ReminderChannel",
    "ReminderKind",
    "ReminderLog",
    "ScheduledReport",
    "ScheduledReportDelivery",
    "UnitCourseStats",
    "UnitTeamsChannel",
    "User",
    "UserManager",
    "assignment_in_current_cycle",
    "course_cycle",
    "course_cycles",
    "in_current_cycle",
]
