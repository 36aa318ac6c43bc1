"""The Japanese fiscal year (年度): April 1 to March 31, named by the calendar year it starts in."""

import datetime as dt

from django.utils import timezone

# One rule for the whole project: courses owns it (lms may use courses, not the reverse).
from courses.fiscal import fiscal_year_of

__all__ = [
    "current_fiscal_year",
    "fiscal_year_end",
    "fiscal_year_of",
    "fiscal_year_start",
    "reiwa_label",
]


def current_fiscal_year() -> int:
    """The fiscal year of today in the project's time zone."""
    return fiscal_year_of(timezone.localdate())


def fiscal_year_start(year: int) -> dt.date:
    return dt.date(year, 4, 1)


def fiscal_year_end(year: int) -> dt.date:
    return dt.date(year + 1, 3, 31)


def reiwa_label(year: int) -> str:
    """``令和8年度`` for 2026 (``令和元年度`` for 2019): the label HR uses on every report."""
    if year < 2019:
        return f"{year}年度"
    era_year = year - 2018
    return f"令和{'元' if era_year == 1 else era_year}年度"
