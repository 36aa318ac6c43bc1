"""Template filter for figures on screens (``core.numbers``).

``{{ statement.hours_per_year|number }}`` gives 400 for 400.0 and 1,200.5 for 1200.50.
"""

from __future__ import annotations

from django import template

from core.numbers import number_label

register = template.Library()


@register.filter
def number(value, places: int = 2) -> str:
    """The figure without trailing zeros, thousands grouped; at most ``places`` decimals."""
    return number_label(value, int(places))
