"""The Japanese fiscal year (April to March), computed locally.

``lms`` has its own helpers; courses must not import lms, and the rule is one line.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def fiscal_year_of(moment: dt.datetime | dt.date | None = None) -> int:
    """The fiscal year a moment falls in: 2026-04-01..2027-03-31 is 2026 (令和8年度)."""
    if moment is None:
        moment = timezone.now()
    if isinstance(moment, dt.datetime):
        moment = timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment.year if moment.month >= 4 else moment.year - 1
