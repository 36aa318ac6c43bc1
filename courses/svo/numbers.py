"""Reading the worksheet's volume fields as people in Japanese offices type them.

A count per year is a whole number: 「3000」, 「3,000」, 「３，０００」, 「3 000」, 「12.0」.
Minutes per case may also be a decimal (「1.5」) or a duration in words (「30分」, 「1時間半」,
「1時間30分」, 「2時間」, 「1.5時間」). Full-width digits and
separators are read as their ASCII forms (NFKC) and spaces are ignored. Anything else is
refused with a message that says what to type; nothing is rounded or dropped silently.
Pure functions: used by the worksheet services, the labelled set and ``svo_check``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

#: The largest count or minutes a statement may hold.
MAX_NUMBER = 10_000_000

#: Digits grouped by thousands: 「3,000」, 「1,234,567」 (after NFKC, so 「３，０００」 too).
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_DIGITS = re.compile(r"[0-9]+")
#: 「1時間半」, 「1時間30分」, 「2時間」, 「1.5時間」, 「30分」, 「45分間」.
_DURATION = re.compile(
    r"(?:(?P<hours>[0-9]+(?:\.[0-9]+)?)時間(?P<half>半)?)?"
    r"(?:(?P<minutes>[0-9]+(?:\.[0-9]+)?)分)?(?:間)?"
)


class NumberRefused(ValueError):
    """What a person typed into a number field is not a number the field can hold; the
    message says what to type instead."""


def _out_of_range() -> NumberRefused:
    return NumberRefused(_("Enter a number from 0 to %(max)s.") % {"max": f"{MAX_NUMBER:,}"})


def _plain(text: str) -> Decimal:
    """「3,000」, 「12.5」 as a Decimal, or NumberRefused."""
    whole, point, fraction = text.partition(".")
    if _GROUPED.fullmatch(whole):
        whole = whole.replace(",", "")
    if not _DIGITS.fullmatch(whole) or (point and not _DIGITS.fullmatch(fraction)):
        raise NumberRefused(_("Enter a number, such as 3000 or 3,000."))
    if len(whole) > len(str(MAX_NUMBER)):
        raise _out_of_range()
    return Decimal(f"{whole}.{fraction}" if point else whole)


def _typed_text(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise NumberRefused(_("Enter a number, such as 3000 or 3,000."))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NumberRefused(_("Enter a number, such as 3000 or 3,000."))
        value = Decimal(str(value))
    if isinstance(value, (int, Decimal)):
        return str(value)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)) or None


def read_number(value: Any) -> int | None:
    """A count per year, or :class:`NumberRefused`; empty is ``None``.

    A decimal point is read only when nothing follows it but zeros (「12.0」): a count is
    whole (「1.5」 cases is refused with a message, never rounded).
    """
    if value is None:
        return None
    text = _typed_text(value)
    if text is None:
        return None
    number = _plain(text)
    if number != number.to_integral_value():
        raise NumberRefused(_("Enter a whole number (no decimals)."))
    if not 0 <= number <= MAX_NUMBER:
        raise _out_of_range()
    return int(number)


def read_minutes(value: Any) -> Decimal | None:
    """Minutes per case, to a tenth of a minute, or :class:`NumberRefused`; empty is
    ``None``. Reads 「30」, 「1.5」, 「30分」, 「1時間半」 (90), 「1時間30分」, 「1.5時間」."""
    if value is None:
        return None
    text = _typed_text(value)
    if text is None:
        return None
    if "時間" in text or "分" in text:
        match = _DURATION.fullmatch(text)
        if not match or not (match["hours"] or match["minutes"]):
            raise NumberRefused(_("Enter minutes, such as 30, 1.5, 30分 or 1時間半."))
        hours = Decimal(match["hours"] or 0) + (Decimal("0.5") if match["half"] else 0)
        number = hours * 60 + Decimal(match["minutes"] or 0)
    else:
        try:
            number = _plain(text)
        except NumberRefused:
            raise NumberRefused(_("Enter minutes, such as 30, 1.5, 30分 or 1時間半.")) from None
    if not 0 <= number <= MAX_NUMBER:
        raise _out_of_range()
    if number != number.quantize(Decimal("0.1")):
        raise NumberRefused(_("Enter minutes to one decimal place at most (such as 1.5)."))
    return number.quantize(Decimal("0.1"))
