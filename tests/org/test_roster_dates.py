"""入庁日 cells: every way a roster writes a date, and what is refused."""

import datetime as dt

import pytest

from org.roster.dates import RosterDateError, parse_roster_date
from org.roster.parsing import normalize_cell

JUNE_FIRST = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    "cell",
    [
        "2026-06-01",
        "2026/6/1",
        "2026.6.1",
        "2026年6月1日",
        "20260601",
        "２０２６／６／１",  # full-width digits, as typed in a Japanese IME
        "２０２６年６月１日",
        "令和8年6月1日",
        "令和８年６月１日",
        "R8.6.1",
        "r8/6/1",
        "2026-06-01 00:00:00",  # an XLSX date cell
        "46174",  # an XLSX date cell formatted as a number
    ],
)
def test_accepted_forms(cell):
    assert parse_roster_date(normalize_cell(cell)) == JUNE_FIRST


def test_first_year_of_an_era_and_heisei():
    assert parse_roster_date("令和元年5月1日") == dt.date(2019, 5, 1)
    assert parse_roster_date("平成31年4月1日") == dt.date(2019, 4, 1)
    assert parse_roster_date("H30.4.1") == dt.date(2018, 4, 1)


def test_empty_cell_is_no_date():
    assert parse_roster_date("") is None
    assert parse_roster_date("  ") is None


@pytest.mark.parametrize("cell", ["2026-02-30", "令和8年13月1日", "昨日", "000123", "6/1"])
def test_refused(cell):
    with pytest.raises(RosterDateError):
        parse_roster_date(normalize_cell(cell))
