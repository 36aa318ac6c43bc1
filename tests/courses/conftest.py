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


def right_responses(attempt) -> dict:
    """The right response for each question of an attempt, read from its snapshot."""
    responses = {}
    for question in attempt.questions:
        best = [a for a in question["answers"] if Decimal(a["fraction"]) > 0]
        if question["type"] == "multiple":
            responses[question["key"]] = [a["key"] for a in best]
        elif question["type"] in ("single", "truefalse"):
            responses[question["key"]] = best[0]["key"]
        elif question["type"] == "numeric":
            responses[question["key"]] = str(best[0]["value"])
        else:
            responses[question["key"]] = best[0]["text"]
    return responses


def wrong_responses(attempt) -> dict:
    responses = {}
    for question in attempt.questions:
        zero = [a for a in question["answers"] if Decimal(a["fraction"]) <= 0]
        if question["type"] in ("single", "truefalse"):
            responses[question["key"]] = zero[0]["key"]
        elif question["type"] == "multiple":
            responses[question["key"]] = [zero[0]["key"]]
        else:
            responses[question["key"]] = "まちがい"
    return responses


def republish(page, **fields):
    """Change fields of a page, publish a new revision, return the page as now stored."""
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page.__class__.objects.get(pk=page.pk)
