"""The Procfile runs the three kinds of process the README describes."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_procfile_runs_web_worker_and_beat():
    processes = _procfile()
    assert set(processes) == {"web", "worker", "beat"}
    assert processes["web"].startswith("gunicorn config.wsgi ")
    assert "celery -A config worker" in processes["worker"]
    assert "celery -A config beat" in processes["beat"]
    for command in ("worker", "beat"):
        assert "config.settings.production" in processes[command]


def test_the_programs_it_names_are_installed():
    bin_dir = Path(sys.executable).parent  # the virtualenv the suite runs in
    for program in ("gunicorn", "celery"):
        assert (bin_dir / program).exists(), program
