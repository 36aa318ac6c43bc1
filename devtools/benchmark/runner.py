"""One benchmark run, in its own process: ``python -m devtools.benchmark.runner`` (the
command starts it with ``devtools.benchmark.settings`` and the benchmark database in the
environment).

Order: migrate the empty database, build the city, measure the reads (section report,
department rollup), the fan-out and the roster imports in this process, then grading with
a Celery worker and "my training" under load with gunicorn, which are stopped whatever
happens. Prints the table on stdout and writes ``benchmark.json`` and ``benchmark.md``.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Plan:
    """How many runs of each figure; ``--quick`` uses the small one."""

    section_runs: int
    rollup_runs: int
    fan_out_runs: int
    roster_runs: int
    grading_batch: int
    grading_runs: int
    latency_samples: int
    web_rounds: int
    web_seconds: float
    web_concurrency: int
    web_users: int
    search_runs: int = 5
    svo_runs: int = 3


FULL = Plan(section_runs=20, rollup_runs=20, fan_out_runs=3, roster_runs=3, grading_batch=200,
            grading_runs=3, latency_samples=50, web_rounds=3, web_seconds=10,
            web_concurrency=4, web_users=200, svo_runs=3)  # fmt: skip
QUICK = Plan(section_runs=5, rollup_runs=5, fan_out_runs=2, roster_runs=2, grading_batch=40,
             grading_runs=2, latency_samples=10, web_rounds=2, web_seconds=3,
             web_concurrency=4, web_users=50, search_runs=2, svo_runs=2)  # fmt: skip


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, required=True)
    parser.add_argument("--courses", type=int, required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--output", type=Path, required=True)
    return parser.parse_args(argv)


def _terminate(signum, frame) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    import django

    # A terminated run still stops its worker and server (the ``finally`` below).
    signal.signal(signal.SIGTERM, _terminate)
    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from . import cycles, scenarios, search, svo
    from .city import Shape, build_city
    from .processes import Server, Worker, delete_queue
    from .progress import note
    from .report import text_table, write_report
    from .urls import BARE_PATH

    plan = QUICK if args.quick else FULL
    queue = settings.CELERY_TASK_DEFAULT_QUEUE  # the run's own, named by the command
    run_dir = args.output
    run_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    rows = []
    try:
        note(f"Database {connection.settings_dict['NAME']}: migrating")
        call_command("migrate", verbosity=0, interactive=False)
        city = build_city(Shape(staff=args.staff, courses=args.courses))
        built = time.monotonic() - started
        note(f"City built in {built:.0f} s; measuring")
        rows += scenarios.section_report(city, runs=plan.section_runs)
        rows += scenarios.department_rollups(city, runs=plan.rollup_runs)
        rows += scenarios.fan_out(city, runs=plan.fan_out_runs)
        rows += scenarios.roster(city, runs=plan.roster_runs)
        rows += cycles.april_recurrence(city, runs=plan.fan_out_runs)
        rows += cycles.roster_moves(city, runs=plan.roster_runs)
        rows += search.guidebook_search(runs=plan.search_runs)
        rows += svo.svo_checker(runs=plan.svo_runs)
        delete_queue(queue)  # the imports' follow-up tasks: nobody is there to run them
        with Worker(run_dir, queue=queue) as worker:
            rows += scenarios.grading(
                city, worker, batch=plan.grading_batch, runs=plan.grading_runs,
                latency_samples=plan.latency_samples,
            )  # fmt: skip
        connection.close()  # gunicorn's workers get their own connections
        with Server(run_dir, ready_path="/" + BARE_PATH) as server:
            rows += scenarios.my_training(
                city, server, rounds=plan.web_rounds, seconds=plan.web_seconds,
                concurrency=plan.web_concurrency, users=plan.web_users,
            )  # fmt: skip
    finally:
        delete_queue(queue)
    context = {
        "staff": args.staff, "courses": args.courses, "enrolments": city.enrollments,
        "units": len(city.units), "quick": args.quick, "cpus": os.cpu_count(),
        "build_seconds": round(built), "total_seconds": round(time.monotonic() - started),
    }  # fmt: skip
    json_path, md_path = write_report(rows, output=run_dir, context=context)
    sys.stdout.write(text_table(rows) + "\n")
    note(f"Wrote {json_path} and {md_path} in {context['total_seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
