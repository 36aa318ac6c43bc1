"""Per-unit completion figures: recount one row, rebuild a year, compare with a recount.

Every function here is set-based: a unit's row is one grouped query over its enrollments, a
rebuild is one grouped query for the whole year. An open enrollment counts in the person's
current unit, a completed one in the unit the person sat in when completing it; withdrawn
enrollments do not count, nor those a person's enrollment in a later cycle of the same
course and year has superseded (a course that recurs every six months counts its October
cycle once it has reached them: ``lms.models.in_current_cycle``). "Overdue" depends on
today, so the daily beat job rebuilds the current year after midnight (Asia/Tokyo).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, Count, F, Q, QuerySet, When
from django.utils import timezone

from ..models import Enrollment, EnrollmentStatus, UnitCourseStats, in_current_cycle

Key = tuple[int, int, int]  # (unit_id, course_id, fiscal_year)


def _counted(today: dt.date) -> QuerySet:
    """Enrollments that count, each with the unit it counts in, grouped by unit/course/year."""
    return (
        Enrollment.objects.exclude(status=EnrollmentStatus.WITHDRAWN)
        .filter(in_current_cycle())
        .annotate(
            stat_unit=Case(
                When(
                    status=EnrollmentStatus.COMPLETED,
                    unit_at_completion__isnull=False,
                    then=F("unit_at_completion_id"),
                ),
                default=F("user__unit_id"),
            )
        )
        .filter(stat_unit__isnull=False)
        .values("stat_unit", "course_id", "fiscal_year")
        .annotate(
            enrolled=Count("pk"),
            not_started=Count("pk", filter=Q(status=EnrollmentStatus.NOT_STARTED)),
            in_progress=Count("pk", filter=Q(status=EnrollmentStatus.IN_PROGRESS)),
            completed=Count("pk", filter=Q(status=EnrollmentStatus.COMPLETED)),
            overdue=Count(
                "pk",
                filter=Q(
                    status__in=[EnrollmentStatus.NOT_STARTED, EnrollmentStatus.IN_PROGRESS],
                    due_on__lt=today,
                ),
            ),
        )
        .order_by()
    )


def recount(
    *,
    fiscal_year: int | None = None,
    course_id: int | None = None,
    unit_ids: Iterable[int] | None = None,
) -> dict[Key, tuple[int, ...]]:
    """The figures recounted from the raw enrollments, keyed by (unit, course, year)."""
    rows = _counted(timezone.localdate())
    if fiscal_year is not None:
        rows = rows.filter(fiscal_year=fiscal_year)
    if course_id is not None:
        rows = rows.filter(course_id=course_id)
    if unit_ids is not None:
        enrollments = Enrollment.objects.all()
        if fiscal_year is not None:
            enrollments = enrollments.filter(fiscal_year=fiscal_year)
        if course_id is not None:
            enrollments = enrollments.filter(course_id=course_id)
        rows = rows.filter(pk__in=counted_in_units(enrollments, unit_ids))
    return {
        (row["stat_unit"], row["course_id"], row["fiscal_year"]): tuple(
            row[name] for name in UnitCourseStats.FIGURES
        )
        for row in rows
    }


def counted_in_units(enrollments: QuerySet, unit_ids: Iterable[int]) -> QuerySet:
    """The pks of ``enrollments`` that count in the units ``unit_ids`` (the rule of
    ``_counted``): a completion in the unit it was made in, any other enrollment but a
    withdrawn one in its person's unit now.

    Two halves found through their own indexes (completions by unit; people by unit, then
    their enrollments) and joined by ``UNION ALL``, because the unit an enrollment counts in
    is a CASE no index can serve: a few units' enrollments are found without reading every
    enrollment of the course.
    """
    unit_ids = list(unit_ids)
    completed_here = enrollments.filter(
        status=EnrollmentStatus.COMPLETED, unit_at_completion_id__in=unit_ids
    ).values("pk")
    elsewhere = ~Q(status=EnrollmentStatus.COMPLETED) | Q(unit_at_completion__isnull=True)
    people_here = (
        enrollments.filter(user__unit_id__in=unit_ids)
        .exclude(status=EnrollmentStatus.WITHDRAWN)
        .filter(elsewhere)
        .values("pk")
    )
    return completed_here.union(people_here, all=True)


def unit_stats_refresh(*, unit_id: int, course_id: int, fiscal_year: int) -> None:
    """Recount one unit's row for a course and year (idempotent; an upsert, race-free)."""
    units_stats_refresh(keys=[(unit_id, course_id, fiscal_year)])


def units_stats_refresh(*, keys: Iterable[Key]) -> None:
    """``unit_stats_refresh`` for many (unit, course, year) rows: one recount and one upsert
    per course and year, however many units a grading batch touched."""
    units: dict[tuple[int, int], set[int]] = defaultdict(set)
    for unit_id, course_id, fiscal_year in keys:
        units[(course_id, fiscal_year)].add(unit_id)
    for (course_id, fiscal_year), unit_ids in sorted(units.items()):
        _units_refresh(course_id=course_id, fiscal_year=fiscal_year, unit_ids=unit_ids)


@transaction.atomic
def _units_refresh(*, course_id: int, fiscal_year: int, unit_ids: set[int]) -> None:
    counted = recount(fiscal_year=fiscal_year, course_id=course_id, unit_ids=unit_ids)
    gone = unit_ids - {unit_id for unit_id, _, _ in counted}
    if gone:
        UnitCourseStats.objects.filter(
            unit_id__in=gone, course_id=course_id, fiscal_year=fiscal_year
        ).delete()
    if counted:
        UnitCourseStats.objects.bulk_create(
            [_row(key, figures) for key, figures in sorted(counted.items())],
            update_conflicts=True,
            unique_fields=["unit", "course", "fiscal_year"],
            update_fields=[*UnitCourseStats.FIGURES, "updated_at"],
        )


def _row(key: Key, figures: tuple[int, ...]) -> UnitCourseStats:
    unit_id, course_id, fiscal_year = key
    return UnitCourseStats(
        unit_id=unit_id,
        course_id=course_id,
        fiscal_year=fiscal_year,
        updated_at=timezone.now(),
        **dict(zip(UnitCourseStats.FIGURES, figures, strict=True)),
    )


@transaction.atomic
def stats_rebuild(*, fiscal_year: int | None = None, course_id: int | None = None) -> int:
    """Replace the figures of a year (or all years) by a recount; returns the rows written."""
    counted = recount(fiscal_year=fiscal_year, course_id=course_id)
    stored = UnitCourseStats.objects.all()
    if fiscal_year is not None:
        stored = stored.filter(fiscal_year=fiscal_year)
    if course_id is not None:
        stored = stored.filter(course_id=course_id)
    stored.delete()
    UnitCourseStats.objects.bulk_create(
        [_row(key, figures) for key, figures in counted.items()], batch_size=2000
    )
    return len(counted)


@dataclass(frozen=True)
class StatsDifference:
    """A stored row that does not match the recount (``None`` when a side has no row)."""

    key: Key
    stored: tuple[int, ...] | None
    recounted: tuple[int, ...] | None


def stats_differences(*, fiscal_year: int | None = None) -> list[StatsDifference]:
    """Every row where the stored figures differ from a recount of the raw enrollments."""
    counted = recount(fiscal_year=fiscal_year)
    stored_rows = UnitCourseStats.objects.all()
    if fiscal_year is not None:
        stored_rows = stored_rows.filter(fiscal_year=fiscal_year)
    stored = {(r.unit_id, r.course_id, r.fiscal_year): r.figures() for r in stored_rows}
    zero = (0,) * len(UnitCourseStats.FIGURES)
    differences = []
    for key in sorted(set(counted) | set(stored)):
        mine, theirs = stored.get(key), counted.get(key)
        if (mine or zero) != (theirs or zero):
            differences.append(StatsDifference(key=key, stored=mine, recounted=theirs))
    return differences
