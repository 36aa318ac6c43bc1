"""The surveys demo: a questionnaire with answers over the years, maturity history."""

import pytest

from core.fiscal import current_fiscal_year
from devtools.demo.surveys import ASSESSED_YEARS, surveys_demo_seed
from devtools.demo.training import training_demo_seed
from surveys.models import MaturityAssessment, Questionnaire, SurveyAnswer, SurveyResponse
from tests.factories import UserFactory, make_course, make_org_tree

pytestmark = pytest.mark.django_db


def test_seed_answers_and_assessments_are_idempotent(django_assert_max_num_queries):
    tree = make_org_tree()
    for key in ("jinji_kakari", "kyuyo_kakari", "dx_kakari", "madoguchi"):
        for _ in range(15):
            UserFactory(unit=tree[key])
    make_course()
    training_demo_seed()
    with django_assert_max_num_queries(40):
        first = surveys_demo_seed()
    assert first["questionnaires"] == 1 and first["responses"] > 20
    year = current_fiscal_year()
    years = set(SurveyResponse.objects.values_list("fiscal_year", flat=True))
    assert {year - 2, year - 1} <= years  # answers in past years as well
    assert SurveyAnswer.objects.filter(rating__isnull=False).exists()
    assert SurveyAnswer.objects.exclude(text="").exists()
    # Two departments, four years each, except one may still be missing this year's.
    assert 2 * ASSESSED_YEARS - 1 <= first["assessments"] <= 2 * ASSESSED_YEARS
    for assessment in MaturityAssessment.objects.all():
        assert all(1 <= level <= 5 for level in assessment.levels())
    assert surveys_demo_seed() == {"questionnaires": 0, "responses": 0, "assessments": 0}
    assert Questionnaire.objects.count() == 1
