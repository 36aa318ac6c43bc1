import datetime as dt

import pytest

from core.fiscal import fiscal_year_end, fiscal_year_of, fiscal_year_start, reiwa_label


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2026, 4, 1), 2026),
        (dt.date(2027, 3, 31), 2026),
        (dt.date(2027, 4, 1), 2027),
        (dt.date(2026, 1, 15), 2025),
    ],
)
def test_fiscal_year_runs_april_to_march(day, year):
    assert fiscal_year_of(day) == year
    assert fiscal_year_start(year) <= day <= fiscal_year_end(year)


def test_reiwa_label():
    assert reiwa_label(2026) == "令和8年度"
    assert reiwa_label(2019) == "令和元年度"
