"""The demo runs on SQLite: the set-based SQL must run there too.

The suite itself runs on PostgreSQL, so these tests migrate a throwaway SQLite database in a
subprocess (once for the module; each test works on a copy) and fan out a real assignment and
grade a real quiz attempt in it (the bugs they
guard: SQLite read "INSERT ... SELECT ... ON CONFLICT" without a WHERE as a join and refused
it; the batch grading's "UPDATE ... FROM (VALUES ...)" used PostgreSQL's ``::`` casts).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = """
import datetime as dt
from devtools.demo import demo_city_seed
from core.fiscal import current_fiscal_year, fiscal_year_start
from lms.enrolment.services import assignment_create
from lms.enrolment.fan_out import assignment_fan_out
from tests.factories.courses import make_course
demo_city_seed(staff=200, seed=1)
course = make_course()["course"]
year = current_fiscal_year()
assignment = assignment_create(
    course=course, fiscal_year=year, opens_on=fiscal_year_start(year),
    due_on=fiscal_year_start(year) + dt.timedelta(days=90), enqueue=False,
)
assignment = assignment_fan_out(assignment_id=assignment.pk)
again = assignment_fan_out(assignment_id=assignment.pk)
print("ENROLLED", assignment.enrolled_count, again.enrolled_count)
"""


def _env(database: Path) -> dict[str, str]:
    """The demo's settings (tasks in-process) on ``database``."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
    }
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    return env


MANAGE = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A SQLite database migrated as ``make demo`` migrates it (once for the module)."""
    database = tmp_path_factory.mktemp("sqlite") / "migrated.sqlite3"
    subprocess.run(
        [*MANAGE, "migrate", "-v0"], env=_env(database), check=True, cwd=settings.BASE_DIR
    )
    return database


@pytest.fixture
def sqlite_demo(migrated, tmp_path):
    """Run a script in a copy of the migrated database; its standard output."""

    def run(script: str) -> str:
        database = tmp_path / "demo.sqlite3"
        shutil.copy(migrated, database)
        result = subprocess.run(
            [*MANAGE, "shell", "-c", script],
            env=_env(database),
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    return run


def test_fan_out_runs_on_sqlite(sqlite_demo):
    stdout = sqlite_demo(SCRIPT)
    enrolled = [line for line in stdout.splitlines() if line.startswith("ENROLLED")]
    assert len(enrolled) == 1
    first, again = map(int, enrolled[0].split()[1:])
    assert first >= 200  # every active demo staff member, enrolled once
    assert again == first


GRADING_SCRIPT = """
from courses.models import QuizAttempt
from courses.services import attempt_start, attempt_submit
from tests.helpers.quiz import right_responses
from tests.factories import UserFactory
from tests.factories.courses import make_course
course = make_course()
learner = UserFactory()
attempt = attempt_start(user=learner, quiz=course["quiz"])
attempt_submit(attempt_id=attempt.pk, user=learner, responses=right_responses(attempt))
attempt = QuizAttempt.objects.get(pk=attempt.pk)
print("GRADED", attempt.status, attempt.percent, attempt.passed)
"""


def test_a_quiz_is_graded_on_sqlite(sqlite_demo):
    stdout = sqlite_demo(GRADING_SCRIPT)
    graded = [line for line in stdout.splitlines() if line.startswith("GRADED")]
    assert graded == ["GRADED graded 100.00 True"], stdout[-2000:]
