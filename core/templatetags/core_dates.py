"""Template filters for dates and fiscal years on staff and HR screens (``core.dates``).

``{{ enrollment.due_on|date_label }}`` gives 2026年5月1日 (1 May 2026), wrapped in a
``<time>`` that does not break across lines; ``{{ year|fiscal_year_label }}`` gives
令和8年度（2026年度） (FY2026).
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html

from core.dates import date_label as _date_label
from core.dates import datetime_label as _datetime_label
from core.fiscal import fiscal_year_label as _fiscal_year_label

register = template.Library()


@register.filter
def date_label(value: dt.date | dt.datetime | None) -> str:
    """The date as a ``<time datetime="ISO">`` element in the screen's convention."""
    if value is None or value == "":
        return ""
    day = value
    if isinstance(value, dt.datetime):
        day = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return format_html(
        '<time class="date" datetime="{}">{}</time>', day.isoformat(), _date_label(value)
    )


@register.filter
def datetime_label(value: dt.datetime | None) -> str:
    """A moment as a ``<time>`` element: the date in the screen's convention and the time."""
    if value is None or value == "":
        return ""
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    return format_html(
        '<time class="date" datetime="{}">{}</time>', moment.isoformat(), _datetime_label(value)
    )


@register.filter
def date_text(value: dt.date | dt.datetime | None) -> str:
    """The date as plain text (attributes, messages): no element."""
    return _date_label(value)


@register.filter
def fiscal_year_label(value: int | str | None) -> str:
    if value in (None, ""):
        return ""
    return _fiscal_year_label(int(value))
