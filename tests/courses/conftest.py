"""Fixtures of the courses tests: a published course with a quiz of every type."""

from decimal import Decimal

import pytest
from django.utils import translation

from courses.models import QuestionType
from tests.factories import UserFactory, make_course, make_question


@pytest.fixture(autouse=True)
def _english_messages():
    """Service and command messages are asserted in English (the msgids) in these tests.

    Pages still render in the language a request asks for (Japanese unless switched).
    """
    with translation.override("en"):
        yield


@pytest.fixture
def learner(db):
    return UserFactory()


@pytest.fixture
def questions(db):
    return [
        make_question(QuestionType.SINGLE, name="single"),
        make_question(QuestionType.MULTIPLE, name="multiple"),
        make_question(QuestionType.TRUE_FALSE, name="tf"),
        make_question(QuestionType.SHORT, name="short"),
        make_question(QuestionType.NUMERIC, name="numeric", points=Decimal(2)),
    ]


@pytest.fixture
def course(questions):
    return make_course(questions=questions, pass_mark=80, shuffle_choices=True)


@pytest.fixture
def quiz(course):
    return course["quiz"]
