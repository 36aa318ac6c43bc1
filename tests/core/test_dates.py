"""One convention for dates and fiscal years on screens (core.dates, core.fiscal)."""

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import translation

from core.dates import date_label, formal_date_label
from core.fiscal import fiscal_year_label


def test_dates_read_the_same_everywhere_in_each_language():
    day = dt.date(2026, 5, 1)
    assert date_label(day, "ja") == "2026年5月1日"
    assert date_label(day, "en") == "1 May 2026"
    # A moment is shown as its date in Japan (23:30 UTC is the next morning in Tokyo).
    late = dt.datetime(2026, 4, 30, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert date_label(late, "ja") == "2026年5月1日"
    assert date_label(None) == ""


def test_fiscal_years_name_the_era_and_the_western_year():
    assert fiscal_year_label(2026, "ja") == "令和8年度（2026年度）"
    assert fiscal_year_label(2019, "ja") == "令和元年度（2019年度）"
    assert fiscal_year_label(2026, "en") == "FY2026"


def test_the_filters_follow_the_active_language_and_never_wrap():
    template = Template("{% load core_dates %}{{ day|date_label }} {{ year|fiscal_year_label }}")
    context = Context({"day": dt.date(2027, 3, 31), "year": 2026})
    with translation.override("ja"):
        assert template.render(context) == (
            '<time class="date" datetime="2027-03-31">2027年3月31日</time> 令和8年度（2026年度）'
        )
    with translation.override("en"):
        assert "31 March 2027</time> FY2026" in template.render(context)


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2026, 5, 1), "令和8年5月1日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(2027, 3, 31), "令和9年3月31日"),
    ],
)
def test_formal_dates_are_in_the_era(day, label):
    assert formal_date_label(day, "ja") == label


def test_formal_dates_in_english_and_for_no_date():
    assert formal_date_label(dt.date(2026, 5, 1), "en") == "1 May 2026"
    assert formal_date_label(None) == ""


def test_moments_show_the_tokyo_date_and_time():
    from core.dates import datetime_label

    moment = dt.datetime(2026, 4, 30, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert datetime_label(moment, "ja") == "2026年5月1日 08:30"
    assert datetime_label(moment, "en") == "1 May 2026, 08:30"


def test_a_short_label_for_chart_axes():
    from core.fiscal import fiscal_year_short_label

    assert fiscal_year_short_label(2026, "ja") == "令和8年度"
    assert fiscal_year_short_label(2026, "en") == "FY2026"
