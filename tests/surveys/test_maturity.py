"""Digital-maturity self-assessment: who enters it, once a year, and the trend per year."""

import pytest
from django.urls import reverse

from core.fiscal import current_fiscal_year
from org.models import RoleGroup
from org.people import Position
from surveys.charts import maturity_line_chart
from surveys.maturity import AXES
from surveys.models import MaturityAssessment
from surveys.services import SurveyError, maturity_save
from tests.factories import UserFactory, make_org_tree

pytestmark = pytest.mark.django_db

LEVELS = {"it_literacy": 2, "in_house_systems": 1, "organisation": 3, "will_to_improve": 2}


@pytest.fixture
def tree():
    return make_org_tree()


def test_every_axis_has_five_described_levels():
    assert [a.field for a in AXES] == list(MaturityAssessment.AXES)
    for axis in AXES:
        assert len(axis.levels) == 5 and len({str(text) for text in axis.levels}) == 5


def test_hr_and_the_departments_manager_enter_it_others_may_not(tree):
    hr = UserFactory(groups=[RoleGroup.HR])
    director = UserFactory(unit=tree["soumu"], position=Position.DIRECTOR)
    chief = UserFactory(unit=tree["jinji"], position=Position.SECTION_CHIEF)
    year = current_fiscal_year()
    maturity_save(department=tree["soumu"], fiscal_year=year, levels=LEVELS, entered_by=director)
    with pytest.raises(SurveyError):
        maturity_save(department=tree["shimin_bu"], fiscal_year=year, levels=LEVELS,
                      entered_by=director)  # fmt: skip
    with pytest.raises(SurveyError):  # a section chief is not the department's manager
        maturity_save(department=tree["soumu"], fiscal_year=year, levels=LEVELS, entered_by=chief)
    with pytest.raises(SurveyError):  # a section is not a department
        maturity_save(department=tree["jinji"], fiscal_year=year, levels=LEVELS, entered_by=hr)
    with pytest.raises(SurveyError):
        maturity_save(department=tree["soumu"], fiscal_year=year,
                      levels={**LEVELS, "organisation": 6}, entered_by=hr)  # fmt: skip
    # Once per department and year: a second entry corrects the first.
    maturity_save(department=tree["soumu"], fiscal_year=year,
                  levels={**LEVELS, "organisation": 4}, entered_by=hr)  # fmt: skip
    assessment = MaturityAssessment.objects.get()
    assert assessment.organisation == 4 and assessment.entered_by == hr


def test_entry_form_shows_the_level_descriptions_and_saves(client, tree):
    director = UserFactory(unit=tree["soumu"], position=Position.DIRECTOR)
    client.force_login(director)
    client.cookies["django_language"] = "en"
    url = reverse("surveys:maturity_edit", args=[tree["soumu"].pk])
    form = client.get(url)
    assert form.status_code == 200
    assert str(AXES[0].levels[4]) in form.text and form.text.count("<fieldset") == 4
    response = client.post(url, {**LEVELS, "note": "Start with the counter forms"})
    assert response.status_code == 302
    assert MaturityAssessment.objects.get().levels() == (2, 1, 3, 2)
    other = reverse("surveys:maturity_edit", args=[tree["shimin_bu"].pk])
    assert client.get(other).status_code == 403
    client.force_login(UserFactory(unit=tree["madoguchi"]))
    assert client.get(url).status_code == 403
    assert client.get(reverse("surveys:maturity")).status_code == 403


def _history(tree, years=4):
    year = current_fiscal_year()
    for offset in range(years):
        for department, base in ((tree["soumu"], 1), (tree["shimin_bu"], 2)):
            level = min(5, base + offset)
            maturity_save(
                department=department, fiscal_year=year - years + 1 + offset,
                levels=dict.fromkeys(MaturityAssessment.AXES, level), entered_by=None,
            )  # fmt: skip


def test_trend_page_draws_an_accessible_chart_with_a_table(
    client, tree, django_assert_max_num_queries
):
    hr = UserFactory(groups=[RoleGroup.HR])
    client.force_login(hr)
    client.cookies["django_language"] = "en"
    _history(tree, years=2)
    url = reverse("surveys:maturity") + f"?department={tree['soumu'].pk}"
    with django_assert_max_num_queries(12):
        client.get(url)
    _history(tree, years=4)
    with django_assert_max_num_queries(12):  # more years and rows, the same queries
        page = client.get(url)
    trend = page.context["trend"]
    assert [p.levels[0] for p in trend.points] == [1.0, 2.0, 3.0, 4.0]
    assert '<svg viewBox="0 0 640 300" role="img"' in page.text
    assert "<desc" in page.text and "IT literacy 4" in page.context["chart_description"]
    assert page.text.count("<polyline") == 4 and "<caption" in page.text
    average = client.get(reverse("surveys:maturity")).context["trend"]
    assert [p.levels[0] for p in average.points] == [1.5, 2.5, 3.5, 4.5]


def test_a_section_chief_sees_the_trend_of_their_department_only(client, tree):
    _history(tree)
    chief = UserFactory(unit=tree["jinji"], position=Position.SECTION_CHIEF)
    client.force_login(chief)
    page = client.get(reverse("surveys:maturity"))
    assert [d.name for d in page.context["departments"]] == ["総務部"]
    assert not any(row["can_assess"] for row in page.context["rows"])


def test_chart_geometry_puts_higher_levels_higher():
    class Point:
        def __init__(self, year, levels):
            self.fiscal_year, self.levels = year, levels

    chart = maturity_line_chart([Point(2024, (1, 2, 3, 5)), Point(2025, (2, 2, 3, 5))], str)
    first = chart.lines[0].markers
    assert first[0].y > first[1].y  # level 1 is drawn below level 2
    assert chart.lines[3].markers[0].y == chart.plot_top  # level 5 at the top
    assert maturity_line_chart([], str) is None
