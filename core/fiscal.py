"""The Japanese fiscal year (年度): April 1 to March 31, named by the calendar year it starts in.

The one rule of the project; every app asks here.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import get_language

__all__ = [
    "current_fiscal_year",
    "fiscal_year_end",
    "fiscal_year_label",
    "fiscal_year_of",
    "fiscal_year_short_label",
    "fiscal_year_start",
    "reiwa_label",
]


def fiscal_year_of(moment: dt.datetime | dt.date | None = None) -> int:
    """The fiscal year a moment falls in: 2026-04-01..2027-03-31 is 2026 (令和8年度)."""
    if moment is None:
        moment = timezone.now()
    if isinstance(moment, dt.datetime):
        moment = timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment.year if moment.month >= 4 else moment.year - 1


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


def fiscal_year_label(year: int, language: str | None = None) -> str:
    """The fiscal year as staff and HR screens name it, in the active language.

    Japanese: ``令和8年度（2026年度）``, the era first as city halls write it, with the Western
    year beside it so that headings, selects and tables agree; English: ``FY2026``. Exports
    write the bare year (a number a spreadsheet can sort).
    """
    language = language or get_language() or "ja"
    if not language.startswith("ja"):
        return f"FY{year}"
    if year < 2019:
        return f"{year}年度"
    return f"{reiwa_label(year)}（{year}年度）"


def fiscal_year_short_label(year: int, language: str | None = None) -> str:
    """Where space is short (a chart's axis): ``令和8年度`` / ``FY2026``."""
    language = language or get_language() or "ja"
    return reiwa_label(year) if language.startswith("ja") else f"FY{year}"
