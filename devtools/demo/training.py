"""Demo data for training: the mandatory course assigned to all staff, with a realistic spread.

Called by ``seed_demo`` after ``devtools.demo.courses.courses_seed``. Idempotent: the
assignment is made once per fiscal year and the spread is written only to enrollments nobody
has touched.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from core.fiscal import current_fiscal_year, fiscal_year_start
from courses.models import CoursePage
from lms.completion.figures import stats_rebuild
from lms.enrolment.services import assignment_create, assignment_fan_out, enrollment_set_status
from lms.models import Assignment, AssignmentStatus, Enrollment, EnrollmentStatus
from lms.my_training.cache import my_training_changed_for_everyone
from org.models import OrgUnit, OrgUnitKind

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
    history = training_history_seed(course=course, current_year=year)
    return {
        "assignment": assignment.pk,
        "enrolled": assignment.enrolled_count,
        "spread": spread,
        "past_years": history,
    }


#: Share of staff who completed DX基礎研修 in the years before this one, oldest first: the
#: first year was a pilot, then the course became mandatory and caught on.
PAST_COMPLETION = (0.48, 0.66, 0.81)


def training_history_seed(*, course: CoursePage, current_year: int) -> dict[int, int]:
    """Closed past fiscal years of the mandatory course, so the dashboard trend has a history.

    Each past year gets its own assignment (due in December), enrolls today's active staff
    (the demo has no older roster) and completes a growing share of them; the rest stayed
    open, so they count as overdue. Written with bulk statements: a few dozen queries per
    year whatever the number of staff. Idempotent: a year that already has its assignment
    is left alone. Returns the completions per year created this run.
    """
    created: dict[int, int] = {}
    for offset, share in enumerate(PAST_COMPLETION):
        year = current_year - len(PAST_COMPLETION) + offset
        if Assignment.objects.filter(course=course, fiscal_year=year).exists():
            continue
        assignment = assignment_create(
            course=course,
            fiscal_year=year,
            opens_on=fiscal_year_start(year),
            due_on=dt.date(year, 12, 25),
            enqueue=False,
        )
        assignment = assignment_fan_out(assignment_id=assignment.pk)
        created[year] = _close_past_year(assignment, share=share)
        stats_rebuild(fiscal_year=year)
    return created


def _close_past_year(assignment: Assignment, *, share: float) -> int:
    """Complete ``share`` of a past year's enrollments (some sections more, some less)."""
    rng = random.Random(assignment.fiscal_year * 7)
    opens = dt.datetime.combine(assignment.opens_on, dt.time(10))
    enrollments = list(
        Enrollment.objects.filter(assignment=assignment)
        .select_related("user")
        .only("pk", "user__unit_id", "status")
        .order_by("pk")
    )
    section_bias: dict[int, float] = {}
    valid_months = assignment.course.certificate_valid_months
    changed: list[Enrollment] = []
    for enrollment in enrollments:
        unit_id = enrollment.user.unit_id
        bias = section_bias.setdefault(unit_id, rng.uniform(-0.25, 0.15))
        roll = rng.random()
        if roll < share + bias:
            at = timezone.make_aware(opens + dt.timedelta(days=rng.randrange(20, 260)))
            enrollment.started_at = at - dt.timedelta(days=rng.randrange(0, 14))
            enrollment.record_completion(at=at, unit_id=unit_id, valid_months=valid_months)
        elif roll < share + bias + 0.1:
            enrollment.status = EnrollmentStatus.IN_PROGRESS
            enrollment.progress = rng.choice([25, 50, 75])
            enrollment.started_at = timezone.make_aware(
                opens + dt.timedelta(days=rng.randrange(30, 250))
            )
        else:
            continue
        enrollment.updated_at = timezone.now()
        changed.append(enrollment)
    Enrollment.objects.bulk_update(
        changed,
        [
            "status",
            "progress",
            "started_at",
            "completed_at",
            "unit_at_completion",
            "certificate_valid_until",
            "updated_at",
        ],
        batch_size=1000,
    )
    my_training_changed_for_everyone()  # set-based: no per-row signal
    return sum(1 for e in changed if e.status == EnrollmentStatus.COMPLETED)


def _spread(assignment: Assignment, *, today: dt.date, opens_on: dt.date) -> int:
    """Give untouched enrollments a status by their section's profile; returns rows changed."""
    if (
        Enrollment.objects.filter(assignment=assignment)
        .exclude(status=EnrollmentStatus.NOT_STARTED)
        .exists()
    ):
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
    my_training_changed_for_everyone()  # the overdue due dates were set without signals
    return changed
