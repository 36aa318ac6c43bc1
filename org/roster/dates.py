"""Dates in a roster cell (入庁日): the ways HR systems and people write them.

Cells arrive NFKC-normalised (``parsing.normalize_row``), so full-width digits are already
ASCII. Accepted: ``2026-06-01``, ``2026/6/1``, ``2026.6.1``, ``2026年6月1日``, ``20260601``,
the Japanese era (``令和8年6月1日``, ``令和元年5月1日``, ``平成31年4月1日``, ``R8.6.1``,
``H31/4/1``), an XLSX date cell (read as ``2026-06-01 00:00:00``) and an XLSX date cell
formatted as a number (the spreadsheet's day count, ``46174``).
"""

from __future__ import annotations

import datetime as dt
import re

#: Era name or initial -> the Western year of its first year (元年).
ERAS = {
    "令和": 2019,
    "r": 2019,
    "平成": 1989,
    "h": 1989,
    "昭和": 1926,
    "s": 1926,
}

_WESTERN = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_ERA = re.compile(
    r"(令和|平成|昭和|[rhs])\s*(元|\d{1,2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
)
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
#: Day 1 of the spreadsheet's day count as Excel and LibreOffice write it (1900 system).
_SPREADSHEET_EPOCH = dt.date(1899, 12, 30)
#: Day counts taken for dates: 1954-10-03 .. 2119-01-09, and never an employee number.
_SPREADSHEET_DAYS = range(20_000, 80_000)


class RosterDateError(ValueError):
    """The cell is not a date this module reads."""


def parse_roster_date(text: str) -> dt.date | None:
    """The date a cell holds, None for an empty cell; ``RosterDateError`` otherwise."""
    value = _TIME.sub("", text.strip()).strip().lower()
    if not value:
        return None
    try:
        if match := _WESTERN.fullmatch(value):
            return dt.date(*(int(part) for part in match.groups()))
        if match := _COMPACT.fullmatch(value):
            return dt.date(*(int(part) for part in match.groups()))
        if match := _ERA.fullmatch(value):
            era, year, month, day = match.groups()
            era_year = 1 if year == "元" else int(year)
            return dt.date(ERAS[era] + era_year - 1, int(month), int(day))
        if value.isdigit() and int(value) in _SPREADSHEET_DAYS:
            return _SPREADSHEET_EPOCH + dt.timedelta(days=int(value))
    except ValueError as exc:  # 2026-02-30
        raise RosterDateError(text) from exc
    raise RosterDateError(text)
