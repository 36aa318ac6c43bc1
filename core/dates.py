"""How dates read on staff and HR screens: one convention, in one place.

Japanese ``2026年5月1日``, English ``1 May 2026``; never ISO on a screen (ISO is for exports,
where a spreadsheet reads it). Templates use the ``date_label`` and ``fiscal_year_label``
filters of ``core_dates``.
"""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat, timezone, translation
from django.utils.translation import get_language

__all__ = ["add_months", "date_label", "datetime_label", "formal_date_label"]


def date_label(value: dt.date | dt.datetime | None, language: str | None = None) -> str:
    """``2026年5月1日`` / ``1 May 2026`` (a datetime is shown as its local date); ``""`` for
    no date."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    language = language or get_language() or "ja"
    if language.startswith("ja"):
        return f"{value.year}年{value.month}月{value.day}日"
    with translation.override(language):  # month names in that language
        return dateformat.format(value, "j F Y")


def formal_date_label(value: dt.date | dt.datetime | None, language: str | None = None) -> str:
    """A date on a formal document (a certificate): ``令和8年5月1日`` in the Japanese era, as
    a city hall dates what it issues (``令和元年5月1日`` for 2019-05-01, 平成 before it);
    ``1 May 2026`` in English."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    language = language or get_language() or "ja"
    if not language.startswith("ja"):
        with translation.override(language):
            return dateformat.format(value, "j F Y")
    era, first = ("令和", 2019) if value >= dt.date(2019, 5, 1) else ("平成", 1989)
    year = value.year - first + 1
    return f"{era}{'元' if year == 1 else year}年{value.month}月{value.day}日"


def datetime_label(value: dt.datetime | None, language: str | None = None) -> str:
    """``2026年5月1日 14:05`` / ``1 May 2026, 14:05`` in the project's time zone."""
    if value is None or value == "":
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    separator = " " if (language or get_language() or "ja").startswith("ja") else ", "
    return f"{date_label(local, language)}{separator}{local:%H:%M}"


def add_months(value: dt.date, months: int) -> dt.date:
    """``value`` moved by whole calendar months, kept on the same day of the month, or the
    month's last day where that day does not exist (2026-01-31 + 1 month is 2026-02-28):
    how a certificate valid for 12 months, or a cycle every 12 months, is counted."""
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for day in (value.day, 30, 29, 28):
        try:
            return value.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")  # pragma: no cover
