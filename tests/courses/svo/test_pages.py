"""The SVO exercise page: where it may be created and its rule validation."""

import pytest
from django.core.exceptions import ValidationError

from courses.models import CoursePage, SvoExercisePage


def test_the_exercise_is_a_part_of_a_course_only():
    assert SvoExercisePage in CoursePage.allowed_subpage_models()
    assert [model for model in SvoExercisePage.allowed_parent_page_models()] == [CoursePage]
    assert SvoExercisePage.allowed_subpage_models() == []


@pytest.mark.django_db
def test_the_maximum_must_not_be_below_the_minimum():
    page = SvoExercisePage(title="SVO", slug="svo", min_statements=5, max_statements=3)
    with pytest.raises(ValidationError):
        page.clean()
