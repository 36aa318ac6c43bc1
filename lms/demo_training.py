"""Demo data for training: the mandatory course assigned to all staff, with a realistic spread.

Called by ``seed_demo`` after ``courses.demo.courses_seed``. Idempotent: the assignment is
made once per fiscal year and the spread is written only to enrollments nobody has touched.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage

from .enrollment_services import assignment_create, assignment_fan_out, enrollment_set_status
from .fiscal import current_fiscal_year, fiscal_year_start
from .models import (
    Assignment,
    AssignmentStatus,
    Enrollment,
    EnrollmentStatus,
    OrgUnit,
    OrgUnitKind,
)
from .stats import stats_rebuild

MANDATORY_COURSE_TITLE = "DX基礎研修"

#: (name, share completed, share in progress, overdue): how a section is doing.
PROFILES = [
    ("on track", 0.6, 0.25, False),
    ("behind", 0.2, 0.3, True),
    ("done", 0.95, 0.05, False),
    ("nobody trained", 0.0, 0.2, True),
    ("on track", 0.5, 0.3, False),
]


@transaction.atomic
def training_demo_seed() -> dict:
    """Assign DX基礎研修 to all staff for this fiscal year and spread progress over sections."""
    course = CoursePage.objects.filter(title=MANDATORY_COURSE_TITLE).first()
    if course is None:
        return {"assignment": None, "enrolled": 0, "spread": 0}
    year = current_fiscal_year()
    today = timezone.localdate()
    opens_on = fiscal_year_start(year)
    assignment = Assignment.objects.filter(
        course=course, fiscal_year=year, status=AssignmentStatus.ACTIVE
    ).first()
    if assignment is None:
        assignment = assignment_create(
            course=course,
            fiscal_year=year,
            opens_on=opens_on,
            due_on=max(today + dt.timedelta(days=14), opens_on + dt.timedelta(days=30)),
            enqueue=False,
        )
    assignment = assignment_fan_out(assignment_id=assignment.pk)
    spread = _spread(assignment, today=today, opens_on=opens_on)
    stats_rebuild(fiscal_year=year)
    return {"assignment": assignment.pk, "enrolled": assignment.enrolled_count, "spread": spread}


def _spread(assignment: Assignment, *, today: dt.date, opens_on: dt.date) -> int:
    """Give untouched enrollments a status by their section's profile; returns rows changed."""
    if Enrollment.objects.filter(assignment=assignment).exclude(
        status=EnrollmentStatus.NOT_STARTED
    ).exists():
        return 0  # already spread on an earlier run
    rng = random.Random(assignment.fiscal_year)
    sections = list(OrgUnit.objects.filter(kind=OrgUnitKind.SECTION).order_by("path"))
    enrollments = list(
        Enrollment.objects.filter(assignment=assignment).select_related("user__unit")
    )
    by_section: dict[int, list[Enrollment]] = {}
    for enrollment in enrollments:
        unit = enrollment.user.unit
        section = next((s for s in sections if unit.path.startswith(s.path)), None)
        by_section.setdefault(section.pk if section else 0, []).append(enrollment)
    days_open = max((today - opens_on).days, 1)
    changed = 0
    for index, (_section_id, people) in enumerate(sorted(by_section.items())):
        _name, done_share, progress_share, overdue = PROFILES[index % len(PROFILES)]
        if overdue:  # this section's first-wave deadline has passed
            Enrollment.objects.filter(pk__in=[e.pk for e in people]).update(
                due_on=today - dt.timedelta(days=10)
            )
        for enrollment in people:
            roll = rng.random()
            at = timezone.make_aware(
                dt.datetime.combine(opens_on, dt.time(10))
                + dt.timedelta(days=rng.randrange(days_open))
            )
            if roll < done_share:
                status = EnrollmentStatus.COMPLETED
            elif roll < done_share + progress_share:
                status = EnrollmentStatus.IN_PROGRESS
            else:
                continue
            enrollment_set_status(
                enrollment=enrollment,
                status=status,
                progress=rng.choice([25, 50, 75]),
                at=min(at, timezone.now()),
                refresh_stats=False,
            )
            changed += 1
    return changed
