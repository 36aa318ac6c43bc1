"""Figures on screens: whole numbers read as whole (「年間400時間」, 「1点」)."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from core.numbers import number_label


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("400.0"), "400"),
        (Decimal("1.00"), "1"),
        (Decimal("1.50"), "1.5"),
        (Decimal("0.25"), "0.25"),
        (Decimal("0.125"), "0.13"),
        (12000, "12,000"),
        (Decimal("1200.50"), "1,200.5"),
        (2.0, "2"),
        (0, "0"),
        (Decimal("-0.001"), "0"),
        (None, ""),
        ("", ""),
        ("abc", "abc"),
    ],
)
def test_number_label(value, expected):
    assert number_label(value) == expected


def test_number_filter_in_a_template():
    template = Template("{% load core_numbers %}年間{{ h|number }}時間・{{ p|number:1 }}点")
    assert template.render(Context({"h": Decimal("400.0"), "p": Decimal("0.75")})) == (
        "年間400時間・0.8点"
    )
