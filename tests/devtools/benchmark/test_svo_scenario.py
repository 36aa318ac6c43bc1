"""The benchmark's SVO scenario on its own (no PostgreSQL needed): it measures the time per
statement beside the tokenizer-only limit, loads the model once, and reports the held-out
figures that ``svo_check`` prints. Timings are not asserted (the machine may be busy)."""

import pytest

from courses.svo import parsing
from devtools.benchmark.svo import svo_checker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("svo_model")]


def test_svo_scenario_rows():
    check, precision, recall = svo_checker(runs=1)
    assert check.key == "svo_check_statement" and len(check.values) >= 150
    assert check.limit_values and all(v > 0 for v in check.values)
    assert parsing.loads == 1
    assert precision.values[0] >= 0.9 and precision.passed
    assert recall.values[0] >= 0.9 and recall.passed
