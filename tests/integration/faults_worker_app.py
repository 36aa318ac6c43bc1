"""The Celery app of the fault-injection workers (``tests/integration/test_faults.py``).

It is the project's app, plus one receiver that appends the id of every attempt for which
``attempt_graded`` is sent to the file named by ``FAULTS_SIGNAL_LOG``. The signal is the
side effect grading must cause exactly once, so the tests count its lines.
"""

import os

from config.celery_app import app
from courses.signals import attempt_graded

__all__ = ["app"]


def _record_graded(sender, *, attempt, **kwargs) -> None:
    path = os.environ.get("FAULTS_SIGNAL_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"{attempt.pk}\n")


attempt_graded.connect(_record_graded, weak=False, dispatch_uid="tests.faults.record_graded")
