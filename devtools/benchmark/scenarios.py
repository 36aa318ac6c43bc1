"""What is measured, each beside its limit measured in the same run.

Every scenario returns ``report.Row`` objects. Times are wall-clock milliseconds or seconds
of repeated runs after a warm-up; the limit is the cheapest way the same result could be had
(hand-written SQL, a raw ``GROUP BY``, a raw ``INSERT ... SELECT``, a no-op task, a bare view).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import AttemptStatus, QuizAttempt
from courses.services import attempt_start, attempt_submit
from lms.models import (
    Assignment,
    AssignmentStatus,
    Enrollment,
    User,
)
from lms.reports.dashboard import completion_rollup, department_rollup
from lms.tasks import assignment_fan_out_task
from org.models import OrgUnit, RosterImport
from org.roster.services import roster_import_apply, roster_import_create, roster_import_validate

from .city import JOINER_BASE, City, people, roster_csv, session_for
from .progress import Progress
from .report import Row


def timed(function: Callable[[], object], *, runs: int, warmup: int = 1) -> list[float]:
    """Milliseconds of ``runs`` calls after ``warmup`` unmeasured ones."""
    for _ in range(warmup):
        function()
    values = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        values.append((time.perf_counter() - start) * 1000)
    return values


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def data_queries(captured: CaptureQueriesContext) -> int:
    """Statements that read or write data: BEGIN, COMMIT and savepoints are not counted."""
    return sum(
        1 for query in captured.captured_queries
        if not query["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
    )  # fmt: skip


def _fetch(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- HR section report ---------------------------------------------------------------------
SECTION_SQL = """
SELECT s.id, s.name,
    count(*),
    count(*) FILTER (WHERE e.status = 'not_started'),
    count(*) FILTER (WHERE e.status = 'in_progress'),
    count(*) FILTER (WHERE e.status = 'completed'),
    count(*) FILTER (WHERE e.status IN ('not_started', 'in_progress') AND e.due_on < %(today)s)
FROM lms_enrollment e
JOIN lms_user p ON p.id = e.user_id
JOIN lms_orgunit u ON u.id = CASE WHEN e.status = 'completed'
    AND e.unit_at_completion_id IS NOT NULL THEN e.unit_at_completion_id ELSE p.unit_id END
JOIN lms_orgunit s ON s.path = substr(u.path, 1, %(section_length)s)
WHERE e.course_id = %(course)s AND e.fiscal_year = %(year)s AND e.status <> 'withdrawn'
  AND u.path LIKE %(prefix)s AND u.depth >= %(section_depth)s
GROUP BY s.id, s.name
ORDER BY s.id
"""


def section_report(city: City, *, runs: int) -> list[Row]:
    """HR opens one department of the dashboard: completion per section of one course.

    The view reads the kept figures; the limit is the hand-written SQL that counts the same
    figures from the enrolment rows. The figures of both are compared, so the benchmark also
    proves the kept figures right.
    """
    course = city.courses[0]
    department = city.departments[len(city.departments) // 2]
    url = f"/hr/training/?course={course.pk}&year={city.fiscal_year}&unit={department.pk}"
    client = Client()
    client.force_login(city.hr_user)

    def view() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    params = {
        "today": timezone.localdate(), "course": course.pk, "year": city.fiscal_year,
        "prefix": department.path + "%", "section_depth": department.depth + 1,
        "section_length": (department.depth + 1) * OrgUnit.steplen,
    }  # fmt: skip
    view_ms = timed(view, runs=runs, warmup=2)
    sql_ms = timed(lambda: _fetch(SECTION_SQL, params), runs=runs, warmup=2)
    with CaptureQueriesContext(connection) as captured:
        view()
    raw = {row[0]: tuple(row[2:]) for row in _fetch(SECTION_SQL, params)}
    rollup = completion_rollup(
        viewer=city.hr_user, course_id=course.pk, fiscal_year=city.fiscal_year,
        parent_id=department.pk,
    )  # fmt: skip
    kept = {
        r.unit_id: (r.enrolled, r.not_started, r.in_progress, r.completed, r.overdue)
        for r in rollup.rows if r.enrolled
    }  # fmt: skip
    queries = data_queries(captured)
    row = Row(
        key="section_report", label="HR section report (view)", unit="ms", values=view_ms,
        limit_label="hand SQL", limit_values=sql_ms, target="<= 2x SQL, <= 10 queries",
        queries=queries, query_limit=10,
    )  # fmt: skip
    row.passed = row.ratio is not None and row.ratio <= 2.0 and queries <= 10
    row.note = (
        f"{department.name}: {len(raw)} sections, {sum(v[0] for v in raw.values()):,} "
        "enrolments; "
        + ("figures equal to the hand SQL" if kept == raw else "FIGURES DIFFER from the SQL")
    )
    return [row]


# --- department rollup ---------------------------------------------------------------------
ROLLUP_SQL = """
SELECT substr(u.path, 1, %(length)s) AS department, e.course_id,
    count(*),
    count(*) FILTER (WHERE e.status = 'not_started'),
    count(*) FILTER (WHERE e.status = 'in_progress'),
    count(*) FILTER (WHERE e.status = 'completed'),
    count(*) FILTER (WHERE e.status IN ('not_started', 'in_progress') AND e.due_on < %(today)s)
FROM lms_enrollment e
JOIN lms_user p ON p.id = e.user_id
JOIN lms_orgunit u ON u.id = CASE WHEN e.status = 'completed'
    AND e.unit_at_completion_id IS NOT NULL THEN e.unit_at_completion_id ELSE p.unit_id END
WHERE e.fiscal_year = %(year)s AND e.status <> 'withdrawn'
GROUP BY 1, 2
"""


def department_rollups(city: City, *, runs: int) -> list[Row]:
    """Every department across every course of the year: kept figures vs a raw GROUP BY."""
    params = {"length": OrgUnit.steplen, "year": city.fiscal_year,
              "today": timezone.localdate()}  # fmt: skip
    product_ms = timed(lambda: department_rollup(fiscal_year=city.fiscal_year), runs=runs)
    raw_runs = max(3, runs // 4)  # the raw GROUP BY reads every enrolment: fewer runs
    raw_ms = timed(lambda: _fetch(ROLLUP_SQL, params), runs=raw_runs)
    with CaptureQueriesContext(connection) as captured:
        rows = department_rollup(fiscal_year=city.fiscal_year)
    kept = {
        (r.path, course_id): (f.enrolled, f.not_started, f.in_progress, f.completed, f.overdue)
        for r in rows for course_id, f in r.courses.items()
    }  # fmt: skip
    raw = {(row[0], row[1]): tuple(row[2:]) for row in _fetch(ROLLUP_SQL, params)}
    row = Row(
        key="department_rollup", label="Department rollup, all courses", unit="ms",
        values=product_ms, limit_label="raw GROUP BY", limit_values=raw_ms,
        target="< 50 ms", queries=data_queries(captured),
    )  # fmt: skip
    row.passed = row.median < 50
    row.note = f"{len(rows)} departments x {len(city.courses)} courses; " + (
        "figures equal to the raw GROUP BY" if kept == raw else "FIGURES DIFFER from the SQL"
    )
    return [row]


# --- fan-out -------------------------------------------------------------------------------
RAW_FAN_OUT_SQL = """
INSERT INTO lms_enrollment (user_id, course_id, fiscal_year, cycle, assignment_id, status,
    progress, due_on, created_at, updated_at)
SELECT id, %(course)s, %(year)s, 0, %(assignment)s, 'not_started', 0, %(due)s, now(), now()
FROM lms_user WHERE is_active AND unit_id IS NOT NULL
ON CONFLICT (user_id, course_id, fiscal_year, cycle) DO NOTHING
"""


def fan_out(city: City, *, runs: int) -> list[Row]:
    """HR assigns a course to the whole city for next year: the fan-out task's whole work
    (enrol everyone in batches, rebuild the course's figures) vs one raw INSERT ... SELECT."""
    course = city.courses[-1]
    year = city.fiscal_year + 1
    today = timezone.localdate()
    assignment = Assignment.objects.create(
        course=course, fiscal_year=year, opens_on=today, due_on=today + dt.timedelta(days=60),
        created_by=city.hr_user,
    )  # fmt: skip

    def clear() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {Enrollment._meta.db_table} WHERE course_id = %s"
                " AND fiscal_year IN (%s, %s)",
                [course.pk, year, year + 1],
            )

    task_s, raw_s, enrolled = [], [], 0
    with Progress("fan-out runs", runs) as bar:
        for _ in range(runs):
            clear()
            start = time.perf_counter()
            enrolled = assignment_fan_out_task(assignment.pk)
            task_s.append(time.perf_counter() - start)
            start = time.perf_counter()
            _fetch(RAW_FAN_OUT_SQL + " RETURNING 1", {
                "course": course.pk, "year": year + 1, "assignment": assignment.pk,
                "due": assignment.due_on,
            })  # fmt: skip
            raw_s.append(time.perf_counter() - start)
            bar.advance(1)
    clear()
    # Done with it: an active assignment would be fanned out again by every roster import.
    Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.CANCELLED)
    row = Row(
        key="fan_out", label=f"Fan-out of {enrolled:,} staff (task)", unit="s", values=task_s,
        limit_label="raw INSERT ... SELECT", limit_values=raw_s,
        target="< 10 s at 100,000" if city.shape.staff >= 100_000 else "< 10 s (at 100,000)",
    )  # fmt: skip
    row.passed = row.median < 10 * max(1.0, enrolled / 100_000)
    row.note = "includes the rebuild of the course's per-unit figures, as the task does"
    return [row]


# --- roster import -------------------------------------------------------------------------
WRITTEN_TABLES = ("lms_user", "lms_orgunit", "lms_dxproassignment")


def _xid() -> int:
    """A transaction id taken now: rows written later carry a larger xmin."""
    return int(_fetch("SELECT txid_current() %% 4294967296", {})[0][0])


def _rows_written_since(xid: int) -> int:
    total = 0
    for table in WRITTEN_TABLES:
        total += _fetch(
            f"SELECT count(*) FROM {table} WHERE xmin::text::bigint > %(xid)s", {"xid": xid}
        )[0][0]
    return total


def _import(content: bytes, *, name: str, full: bool) -> tuple[float, RosterImport, int]:
    """Upload, check and apply as ``import_roster`` does; seconds, the record, rows written."""
    xid = _xid()
    start = time.perf_counter()
    record = roster_import_create(uploaded_by=None, file_name=name, content=content,
                                  full_roster=full, enqueue=False)  # fmt: skip
    record = roster_import_validate(roster_import_id=record.pk)
    if record.status != RosterImport.Status.PREVIEWED:
        raise RuntimeError(f"The benchmark roster did not validate: {record.errors[:3]}")
    # The operator confirms the deactivations the preview counted, as --confirm-deactivate.
    record = roster_import_apply(
        roster_import_id=record.pk, confirm_deactivate=record.deactivated_count
    )
    seconds = time.perf_counter() - start
    return seconds, record, _rows_written_since(xid)


def roster(city: City, *, runs: int) -> list[Row]:
    """An N-row file of new people, the same file again, and the whole city's roster again.

    "Rows written" counts rows of the staff, unit and DX PRO tables whose ``xmin`` is newer
    than the import: what PostgreSQL actually wrote, not what the import says it wrote.
    """
    shape = city.shape
    joiners = roster_csv(shape, people(shape, base=JOINER_BASE))
    whole_city = roster_csv(shape, people(shape))
    first_s, again_s, city_s = [], [], []
    written_again, written_city, created = [], [], 0
    with Progress("roster imports", runs * 3) as bar:
        for _ in range(runs):
            seconds, record, _written = _import(joiners, name="joiners.csv", full=False)
            first_s.append(seconds)
            created = record.created_count
            bar.advance(1)
            seconds, record, written = _import(joiners, name="joiners.csv", full=False)
            again_s.append(seconds)
            written_again.append(written)
            bar.advance(1)
            # The joiners leave again (set-based), so the next run imports them as new; the
            # apply enrolled them in the active assignments, which goes first.
            joiner_range = {"low": str(JOINER_BASE), "high": str(JOINER_BASE + 1_000_000)}
            _fetch(
                "DELETE FROM lms_enrollment WHERE user_id IN (SELECT id FROM lms_user"
                " WHERE employee_number >= %(low)s AND employee_number < %(high)s) RETURNING 1",
                joiner_range,
            )
            _fetch(
                "DELETE FROM lms_user WHERE employee_number >= %(low)s"
                " AND employee_number < %(high)s RETURNING 1",
                joiner_range,
            )
            seconds, record, written = _import(whole_city, name="city.csv", full=True)
            city_s.append(seconds)
            written_city.append(written)
            bar.advance(1)
    scale = max(1.0, shape.staff / 100_000)
    first = Row(key="roster_first", label=f"Roster import, {created:,} new people", unit="s",
                values=first_s, target="< 20 s at 100,000 rows")  # fmt: skip
    first.passed = first.median < 20 * scale
    again = Row(key="roster_again", label="Same file again (unchanged)", unit="s",
                values=again_s, target="< 5 s, 0 rows written",
                rows_written=max(written_again))  # fmt: skip
    again.passed = again.median < 5 * scale and max(written_again) == 0
    whole = Row(key="roster_city", label=f"Whole city's roster ({shape.staff:,}), unchanged",
                unit="s", values=city_s, target="< 5 s, 0 rows written",
                rows_written=max(written_city))  # fmt: skip
    whole.passed = whole.median < 5 * scale and max(written_city) == 0
    for row in (first, again, whole):
        row.note = "upload + check + apply, as `manage.py import_roster` does (CP932 CSV)"
    first.note += (
        f"; above {settings.ROSTER_ENROL_IN_APPLY_MAX:,} people the apply queues their"
        " enrolment for the worker instead of writing it"
    )
    return [first, again, whole]


# --- compliance cycles ---------------------------------------------------------------------
def _responses(attempt: QuizAttempt, right: bool) -> dict:
    """Answers read from the attempt's own snapshot: all right, or the first choice."""
    responses = {}
    for question in attempt.questions:
        answers = question["answers"]
        if question["type"] == "description" or (not answers and question["type"] != "essay"):
            continue  # text only: nothing to answer
        if question["type"] == "essay":
            responses[question["key"]] = "担当者が申請書を確認する。"
            continue
        if question["type"] == "matching":
            options = question.get("options", [])
            responses[question["key"]] = {
                item["key"]: next(
                    (o["key"] for o in options if (o["text"] == item["match_text"]) == right),
                    options[0]["key"] if options else "",
                )
                for item in answers
                if item["text"]
            }
            continue
        best = [a for a in answers if Decimal(str(a["fraction"])) > 0] or answers[:1]
        pick = best if right else answers[:1]
        if question["type"] == "multiple":
            responses[question["key"]] = [a["key"] for a in pick]
        elif question["type"] in ("single", "truefalse"):
            responses[question["key"]] = pick[0]["key"]
        elif question["type"] == "numeric":
            responses[question["key"]] = str(pick[0].get("value", "0"))
        else:
            responses[question["key"]] = pick[0].get("text", "")
    return responses


class Learners:
    """Staff who take the quiz, each once: started attempts with answers, ready to submit."""

    def __init__(self, city: City) -> None:
        self.city = city
        self.queryset = User.objects.filter(from_roster=True, is_active=True).order_by("pk")
        self.offset = 0

    def attempts(self, count: int) -> list[QuizAttempt]:
        users = list(self.queryset[self.offset : self.offset + count])
        self.offset += count
        started = []
        for n, user in enumerate(users):
            attempt = attempt_start(user=user, quiz=self.city.quiz)
            attempt.responses = _responses(attempt, right=n % 4 != 0)
            started.append(attempt)
        return started


def _wait(predicate: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"Timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.005)


def _graded_count(ids: list[int]) -> int:
    return QuizAttempt.objects.filter(
        pk__in=ids, status__in=[AttemptStatus.GRADED, AttemptStatus.ERROR]
    ).count()


def grading(city: City, worker, *, batch: int, runs: int, latency_samples: int) -> list[Row]:
    """Attempts graded per second by the worker vs no-op tasks per second on the same worker
    and broker; submit-to-graded latency vs the no-op task's send-to-run latency.

    Throughput: the worker stops consuming, the batch is submitted (the submits ask for the
    one grading task), the worker resumes; the rate is the batch over the time from resuming
    to the last graded row. Grading's follow-up tasks (completion, figures) run on the same
    worker, so they are part of its cost; a second row gives the rate at which the whole queue
    emptied (the grading task and the completion checks of its batches).
    """
    from .tasks import noop_task

    learners = Learners(city)
    redis_client = worker.redis()
    run_id = worker.queue  # keys of this run only: delete_queue() removes them
    grade_rates, queue_rates, noop_rates, errors = [], [], [], 0
    with Progress("grading throughput runs", runs) as bar:
        for r in range(runs):
            attempts = learners.attempts(batch)
            worker.pause()
            for attempt in attempts:
                attempt_submit(attempt_id=attempt.pk, user=attempt.user,
                               responses=attempt.responses)  # fmt: skip
            ids = [a.pk for a in attempts]
            start = time.time()
            worker.resume()
            _wait(lambda ids=ids: _graded_count(ids) == len(ids), timeout=600,
                  what="the attempts to be graded")  # fmt: skip
            last = max(QuizAttempt.objects.filter(pk__in=ids).values_list("graded_at",
                                                                          flat=True))  # fmt: skip
            errors += QuizAttempt.objects.filter(pk__in=ids, status=AttemptStatus.ERROR).count()
            grade_rates.append(len(ids) / max(last.timestamp() - start, 1e-6))
            worker.drain(timeout=600)  # the follow-up tasks finish before the no-op run
            queue_rates.append(len(ids) / max(time.time() - start, 1e-6))

            key = f"{run_id}:noop:{r}"
            noop_count = batch * 4
            worker.pause()
            for _ in range(noop_count):
                noop_task.delay(key)
            start = time.time()
            worker.resume()
            _wait(lambda key=key, n=noop_count: redis_client.llen(key) >= n, timeout=600,
                  what="the no-op tasks")  # fmt: skip
            last = max(float(v) for v in redis_client.lrange(key, 0, -1))
            noop_rates.append(noop_count / max(last - start, 1e-6))
            redis_client.delete(key)
            bar.advance(1)

    grade_latency, noop_latency = [], []
    attempts = learners.attempts(latency_samples)
    with Progress("latency samples", latency_samples * 2) as bar:
        for attempt in attempts:
            sent = time.time()
            attempt_submit(attempt_id=attempt.pk, user=attempt.user, responses=attempt.responses)
            _wait(lambda pk=attempt.pk: _graded_count([pk]) == 1, timeout=120,
                  what="a graded attempt")  # fmt: skip
            graded_at = QuizAttempt.objects.values_list("graded_at", flat=True).get(pk=attempt.pk)
            grade_latency.append((graded_at.timestamp() - sent) * 1000)
            worker.drain(timeout=120)
            bar.advance(1)
        for n in range(latency_samples):
            key = f"{run_id}:latency:{n}"
            sent = time.time()
            noop_task.delay(key)
            _wait(lambda key=key: redis_client.llen(key) >= 1, timeout=120, what="a no-op task")
            noop_latency.append((float(redis_client.lindex(key, 0)) - sent) * 1000)
            redis_client.delete(key)
            bar.advance(1)

    throughput = Row(
        key="grading_throughput", label="Grading throughput (attempts/s)", unit="/s",
        values=grade_rates, limit_label="no-op tasks/s", limit_values=noop_rates,
        higher_is_better=True, target=">= 0.60x no-op",
    )  # fmt: skip
    throughput.passed = throughput.ratio is not None and throughput.ratio >= 0.6
    throughput.note = (
        f"{runs} runs of {batch} attempts (15 questions each) on a worker with "
        f"{worker.concurrency} processes; {errors} grading errors"
    )
    whole_queue = Row(
        key="grading_queue", label="Whole queue after a burst (attempts/s)", unit="/s",
        values=queue_rates, limit_label="no-op tasks/s", limit_values=noop_rates,
        higher_is_better=True, target=">= 0.60x no-op",
    )  # fmt: skip
    whole_queue.passed = whole_queue.ratio is not None and whole_queue.ratio >= 0.6
    whole_queue.note = (
        "from resuming the worker until the queue is empty: the grading task (one per burst) "
        "and the completion checks of its batches"
    )
    latency = Row(
        key="grading_latency", label="Submit to graded, p50", unit="ms",
        values=grade_latency, limit_label="no-op round trip", limit_values=noop_latency,
        target="p95 <= no-op p95 + 25 ms",
    )  # fmt: skip
    latency.passed = latency.p95 <= (latency.limit_p95 or 0) + 25
    latency.note = (
        f"{latency_samples} submits one at a time; p95 {latency.p95:.1f} ms vs no-op p95 "
        f"{latency.limit_p95:.1f} ms"
    )
    return [throughput, whole_queue, latency]


# --- my training under load ----------------------------------------------------------------
def _load(base_url: str, path: str, sessions: list[str], *, seconds: float,
          concurrency: int) -> dict:  # fmt: skip
    """Run the load generator in a second process; its JSON summary."""
    command = [
        sys.executable, "-m", "devtools.benchmark.load", "--url", base_url + path,
        "--seconds", str(seconds), "--concurrency", str(concurrency),
        "--cookie", settings.SESSION_COOKIE_NAME,
    ]  # fmt: skip
    result = subprocess.run(
        command, input=json.dumps(sessions), capture_output=True, text=True, timeout=seconds + 60,
        check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"The load generator failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout)


def my_training(city: City, server, *, rounds: int, seconds: float, concurrency: int,
                users: int) -> list[Row]:  # fmt: skip
    """Requests per second of "my training" vs the bare view, both through the same gunicorn
    (two workers) from a second process over loopback, rounds alternating."""
    from .urls import BARE_PATH

    learners = list(User.objects.filter(from_roster=True, is_active=True).order_by("?")[:users])
    sessions = [session_for(user) for user in learners]
    client = Client()
    client.force_login(learners[0])
    client.get("/")  # a session's first page also fills the header kept in the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200, response.status_code
    queries = data_queries(captured)
    reset_queries()

    page, bare, failures = [], [], 0
    _load(server.base_url, "/", sessions, seconds=1, concurrency=concurrency)  # warm-up
    with Progress("web load rounds", rounds * 2) as bar:
        for _ in range(rounds):
            result = _load(server.base_url, "/", sessions, seconds=seconds,
                           concurrency=concurrency)  # fmt: skip
            page.append(result["rps"])
            failures += result["errors"]
            bar.advance(1)
            result = _load(server.base_url, "/" + BARE_PATH, sessions, seconds=seconds,
                           concurrency=concurrency)  # fmt: skip
            bare.append(result["rps"])
            failures += result["errors"]
            bar.advance(1)
    row = Row(
        key="my_training", label="My training page (req/s)", unit="/s", values=page,
        limit_label="bare view", limit_values=bare, higher_is_better=True,
        target=">= 0.50x bare, <= 10 queries", queries=queries, query_limit=10,
    )  # fmt: skip
    row.passed = row.ratio is not None and row.ratio >= 0.5 and queries <= 10 and not failures
    row.note = (
        f"gunicorn 2 workers; {concurrency} concurrent clients in a second process for "
        f"{seconds:.0f} s per round, {len(sessions)} signed-in staff with "
        f"{len(city.courses)} enrolments each; {failures} failed requests"
    )
    return [row]


def summary_median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
