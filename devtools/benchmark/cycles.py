"""The compliance-cycle scenarios: the April recurrence of a yearly course for the whole city,
and a roster that moves people between sections and enrols them in the apply.

Each returns ``report.Row`` objects beside its limit, as ``scenarios`` does; the raw insert
and the roster import are ``scenarios``' own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
import time

from django.db import connection
from django.db.models import Max

from core.fiscal import fiscal_year_start
from lms.models import (
    Assignment,
    AssignmentStatus,
    DueRule,
    Enrollment,
    FanOutStatus,
    Recurrence,
)
from lms.tasks import assignment_fan_out_task, compliance_cycles_daily_task
from org.models import OrgUnit, OrgUnitKind

from .city import City, Person, people, roster_csv, unit_specs
from .progress import Progress
from .report import Row
from .scenarios import RAW_FAN_OUT_SQL, _fetch, _import


def april_recurrence(city: City, *, runs: int) -> list[Row]:
    """April 1: the daily job opens next year's cycle of a yearly course for the whole city
    and fans it out (with the rebuild of the course's figures), vs one raw INSERT ... SELECT
    of the same rows."""
    course = city.courses[0]
    year = city.fiscal_year + 1
    first = Assignment.objects.create(
        course=course, fiscal_year=year, opens_on=fiscal_year_start(year),
        due_on=dt.date(year, 6, 30), recurrence=Recurrence.FISCAL_YEAR,
        fan_out_status=FanOutStatus.DONE, created_by=city.hr_user,
    )  # fmt: skip
    april = fiscal_year_start(year + 1).isoformat()

    def clear() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {Enrollment._meta.db_table} WHERE course_id = %s"
                " AND fiscal_year IN (%s, %s)",
                [course.pk, year + 1, year + 2],
            )
        Assignment.objects.filter(previous_cycle=first).delete()

    job_s, raw_s, enrolled = [], [], 0
    with Progress("April recurrence runs", runs) as bar:
        for _ in range(runs):
            clear()
            start = time.perf_counter()
            opened = compliance_cycles_daily_task(april)["opened"]
            job_s.append(time.perf_counter() - start)
            if len(opened) != 1:
                raise RuntimeError(f"The daily job opened {opened}, not one cycle")
            enrolled = Enrollment.objects.filter(assignment_id=opened[0]).count()
            start = time.perf_counter()
            _fetch(RAW_FAN_OUT_SQL + " RETURNING 1", {
                "course": course.pk, "year": year + 2, "assignment": first.pk,
                "due": first.due_on,
            })  # fmt: skip
            raw_s.append(time.perf_counter() - start)
            bar.advance(1)
    clear()
    Assignment.objects.filter(pk=first.pk).update(status=AssignmentStatus.CANCELLED)
    row = Row(
        key="april_recurrence", label=f"April recurrence, {enrolled:,} staff (daily job)",
        unit="s", values=job_s, limit_label="raw INSERT ... SELECT", limit_values=raw_s,
        target="< 10 s at 100,000, within 1.5x of the raw INSERT",
    )  # fmt: skip
    row.passed = row.median < 10 * max(1.0, enrolled / 100_000) and row.median <= 1.5 * (
        statistics.median(raw_s)
    )
    row.note = "opens the cycle, fans it out and rebuilds the course's per-unit figures"
    return [row]


def _moved(shape, persons: list[Person], count: int) -> tuple[list[Person], set[str]]:
    """The roster with ``count`` people of the first departments moved into the 係 of the
    last 部 (round robin); returns it and the codes of the 部 they moved into."""
    leaves = [spec for spec in unit_specs(shape) if spec.kind == OrgUnitKind.UNIT]
    last_department = leaves[-1].code[:2]
    targets = [leaf.code for leaf in leaves if leaf.code[:2] == last_department]
    moved = []
    for index, person in enumerate(persons):
        if index < count and person.unit_code[:2] != last_department:
            person = dataclasses.replace(person, unit_code=targets[index % len(targets)])
        moved.append(person)
    return moved, {f"{last_department}0000"}


def roster_moves(city: City, *, runs: int, movers: int = 5_000) -> list[Row]:
    """A whole-city roster that moves ``movers`` people into the sections of another 部,
    where a course is assigned with due dates 30 days after the move: the apply records the
    transfers and enrols the movers in the same transaction."""
    shape = city.shape
    count = min(movers, shape.staff // 20)
    staff = people(shape)
    moved, department_codes = _moved(shape, staff, count)
    department = OrgUnit.objects.get(code__in=department_codes, valid_to__isnull=True)
    course = city.courses[1 % len(city.courses)]
    year = city.fiscal_year + 1
    assignment = Assignment.objects.create(
        course=course, fiscal_year=year, opens_on=fiscal_year_start(year),
        due_on=dt.date(year, 6, 30), due_rule=DueRule.AFTER_UNIT_MOVE, due_days=30,
        created_by=city.hr_user,
    )  # fmt: skip
    assignment.units.set([department])
    assignment_fan_out_task(assignment.pk)
    before = Enrollment.objects.filter(assignment=assignment).count()
    last_id = Enrollment.objects.filter(assignment=assignment).aggregate(last=Max("id"))["last"]
    back = roster_csv(shape, staff)
    there = roster_csv(shape, moved)
    move_s, enrolled = [], 0
    with Progress("roster moves", runs) as bar:
        for _ in range(runs):
            seconds, _record, _written = _import(there, name="moves.csv", full=True)
            move_s.append(seconds)
            enrolled = Enrollment.objects.filter(assignment=assignment).count() - before
            # Back to where they were (not measured), and their new enrolments go, so the
            # next run enrols them again instead of reopening them.
            _import(back, name="city.csv", full=True)
            _fetch(
                "DELETE FROM lms_enrollment WHERE assignment_id = %(assignment)s"
                " AND id > %(last)s RETURNING 1",
                {"assignment": assignment.pk, "last": last_id or 0},
            )
            bar.advance(1)
    Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.CANCELLED)
    row = Row(
        key="roster_moves", label=f"Roster moving {count:,} people, enrolling {enrolled:,}",
        unit="s", values=move_s, target="< 20 s at 100,000 staff and 5,000 moves",
    )  # fmt: skip
    row.passed = row.median < 20 * max(1.0, shape.staff / 100_000) and enrolled == count
    row.note = (
        "whole-city roster: upload + check + apply, transfers dated and enrolled in the apply"
    )
    return [row]


# --- grading -------------------------------------------------------------------------------
