"""Fixtures of the SCORM tests: a published course whose only lesson is a SCORM lesson."""

import pytest

from org.models import RoleGroup
from tests.factories import UserFactory, make_course

from .helpers import make_scorm_lesson


@pytest.fixture
def scorm_course(db):
    """A course with no lesson of its own and no quiz required, and a SCORM 1.2 lesson."""
    course = make_course(title="情報セキュリティ研修", slug="security", lessons=0)["course"]
    course.require_quiz = False
    course.save_revision().publish()
    course.refresh_from_db()
    return course


@pytest.fixture
def lesson12(scorm_course):
    return make_scorm_lesson(scorm_course, "scorm12")


@pytest.fixture
def lesson2004(scorm_course):
    return make_scorm_lesson(scorm_course, "scorm2004", rule="passed")


@pytest.fixture
def editor(db):
    return UserFactory(groups=[RoleGroup.EDITORS])
