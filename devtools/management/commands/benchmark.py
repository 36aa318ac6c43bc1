"""``manage.py benchmark [--staff N] [--courses M] [--quick] [--output DIR] [--keep]``.

Checks the setup (PostgreSQL and a Redis broker), creates the benchmark's own database
``<database>_benchmark`` and runs ``devtools.benchmark.runner`` against it in a child
process; the configured database is never written. See ``devtools.benchmark``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devtools.benchmark.database import (
    benchmark_database_name,
    create_template,
    database_url,
    drop_database,
    migrations_fingerprint,
    recreate_database,
    template_is_current,
    template_name,
)

QUICK_STAFF = 2_000


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = (
        "Build a synthetic city in a database of its own and measure the product against "
        "its limits (PostgreSQL and Redis only)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--staff",
            type=int,
            default=None,
            help="Staff in the city (default 100,000; 2,000 with --quick).",
        )
        parser.add_argument(
            "--courses",
            type=int,
            default=20,
            help="Courses everyone is enrolled in (default 20, at least 2).",
        )
        parser.add_argument(
            "--quick", action="store_true", help="A small city and fewer runs: under two minutes."
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=Path("benchmark-results"),
            help="Folder for benchmark.json, benchmark.md and the logs.",
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Keep the benchmark database afterwards for inspection.",
        )

    def handle(self, *args, staff, courses, quick, output: Path, keep, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                f"The benchmark needs PostgreSQL; this database is {connection.vendor}. "
                "Set DATABASE_URL to a PostgreSQL server (it creates a database of its own "
                "there and leaves yours alone)."
            )
        broker = settings.CELERY_BROKER_URL or ""
        if not broker.startswith(("redis://", "rediss://")):
            raise CommandError(
                "The benchmark needs Redis as the Celery broker: set REDIS_URL "
                "(it uses a queue of its own, so running workers are not disturbed)."
            )
        staff = staff or (QUICK_STAFF if quick else 100_000)
        if staff < 100 or courses < 2:
            raise CommandError("Use at least 100 staff and 2 courses.")
        settings_dict = connection.settings_dict
        name = benchmark_database_name(settings_dict["NAME"])
        output = output.resolve()
        output.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "devtools.benchmark.settings",
            "DX_BENCHMARK_BROKER_URL": broker,
            "DX_BENCHMARK_MEDIA_ROOT": str(output / "media"),
            "DX_BENCHMARK_QUEUE": f"dx-benchmark-{uuid.uuid4().hex[:12]}",
        }
        template = template_name(name)
        fingerprint = migrations_fingerprint()
        if not template_is_current(settings_dict, template, fingerprint):
            self.stderr.write(f"Migrating the template database {template} (once per schema)")

            def migrate(database: str) -> None:
                subprocess.run(
                    [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                    cwd=settings.BASE_DIR, check=True,
                    env={**env, "DX_BENCHMARK_DATABASE_URL": database_url(settings_dict, database)},
                )  # fmt: skip

            create_template(settings_dict, template, fingerprint, migrate)
        self.stderr.write(f"Creating the benchmark database {name} from {template}")
        recreate_database(settings_dict, name, template=template)
        env["DX_BENCHMARK_DATABASE_URL"] = database_url(settings_dict, name)
        command = [sys.executable, "-m", "devtools.benchmark.runner", "--staff", str(staff),
                   "--courses", str(courses), "--output", str(output)]  # fmt: skip
        if quick:
            command.append("--quick")
        runner = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, text=True
        )
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            out, _ = runner.communicate()
        except KeyboardInterrupt:
            # The runner stops its worker and server on SIGTERM before it exits.
            runner.terminate()
            runner.wait()
            raise CommandError("The benchmark was interrupted.") from None
        finally:
            signal.signal(signal.SIGTERM, previous)
            if not keep:
                drop_database(settings_dict, name)
        self.stdout.write(out)
        if runner.returncode != 0:
            raise CommandError(f"The benchmark failed (exit code {runner.returncode}).")
