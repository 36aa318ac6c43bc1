"""How numbers read on screens: no trailing ``.0``, thousands grouped.

Figures that are whole read as whole (``400`` hours, not ``400.0``; ``1`` point, not
``1.00``); fractions keep only the digits they need (``12.5``). Templates use the ``number``
filter of ``core_numbers``; JSON that a script shows as text uses ``number_label`` too.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["number_label"]


def number_label(value: Decimal | float | int | str | None, places: int = 2) -> str:
    """``Decimal("400.0")`` -> ``"400"``, ``1.50`` -> ``"1.5"``, ``12000`` -> ``"12,000"``;
    at most ``places`` decimals (half up); ``""`` for no value, the input as is for text."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
