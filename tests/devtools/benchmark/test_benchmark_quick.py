"""``manage.py benchmark --quick`` runs end to end on real PostgreSQL, Redis, a Celery worker
and gunicorn, so the benchmark never rots. Timings are never asserted (the machine may be
busy): only that every figure is there, the outputs are written, an unchanged re-import
writes nothing, the kept figures equal the raw counts and the query counts hold."""

import json
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

FIGURES = [
    "section_report",
    "department_rollup",
    "fan_out",
    "roster_first",
    "roster_again",
    "roster_city",
    "april_recurrence",
    "roster_moves",
    "guidebook_search",
    "search_recall_tune",
    "search_mrr_tune",
    "search_recall_heldout",
    "search_mrr_heldout",
    "svo_check_statement",
    "svo_held_out_precision",
    "svo_held_out_recall",
    "grading_throughput",
    "grading_queue",
    "grading_latency",
    "my_training",
]


#: The search's and the SVO checker's quality figures: the same every run, measured once.
SINGLE_FIGURES = {
    key for key in FIGURES if key.startswith(("search_recall", "search_mrr", "svo_held_out"))
}


def _require_services():
    reason = None
    if connection.vendor != "postgresql":
        reason = f"the benchmark needs PostgreSQL; the test database is {connection.vendor}"
    elif not os.environ.get("REDIS_URL"):
        reason = "the benchmark needs Redis: set REDIS_URL"
    if reason:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes", "on"}:
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.mark.integration
def test_quick_benchmark_measures_every_figure(settings, tmp_path):
    _require_services()
    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    out = StringIO()

    call_command("benchmark", quick=True, output=tmp_path, stdout=out, stderr=StringIO())

    data = json.loads((tmp_path / "benchmark.json").read_text(encoding="utf-8"))
    rows = {row["key"]: row for row in data["rows"]}
    assert list(rows) == FIGURES
    assert data["context"]["staff"] == 2000
    assert data["context"]["enrolments"] == 2000 * 20
    markdown = (tmp_path / "benchmark.md").read_text(encoding="utf-8")
    table = out.getvalue()
    for row in rows.values():
        assert row["label"] in markdown
        assert row["label"] in table
        assert row["runs"] >= (1 if row["key"] in SINGLE_FIGURES else 2)
        assert all(value > 0 for value in row["values"])
        if row["limit_label"]:
            assert row["limit_values"] and row["ratio"] > 0

    assert rows["roster_first"]["values"] and "2,000 new people" in rows["roster_first"]["label"]
    assert rows["roster_again"]["rows_written"] == 0
    assert rows["roster_city"]["rows_written"] == 0
    # The April cycle enrols everyone again (HR too); the moves enrol every mover (2,000 // 20).
    assert "April recurrence, 2,001 staff" in rows["april_recurrence"]["label"]
    assert "Roster moving 100 people, enrolling 100" in rows["roster_moves"]["label"]
    assert rows["section_report"]["queries"] <= 10
    assert rows["my_training"]["queries"] <= 10
    assert rows["department_rollup"]["queries"] <= 3
    assert "figures equal" in rows["section_report"]["note"]
    assert "figures equal" in rows["department_rollup"]["note"]
    assert "0 grading errors" in rows["grading_throughput"]["note"]
    assert "0 failed requests" in rows["my_training"]["note"]
    assert rows["search_recall_heldout"]["passed"] and rows["search_mrr_heldout"]["passed"]
    assert "loads in this process: 1" in rows["svo_check_statement"]["note"]
    assert rows["svo_held_out_precision"]["passed"] and rows["svo_held_out_recall"]["passed"]


def test_benchmark_refuses_sqlite(monkeypatch):
    """SQLite is refused with a clear message before anything is created."""
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("benchmark", quick=True)
