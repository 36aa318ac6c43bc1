"""The demo courses: created once, idempotent, with a quiz of every type."""

import pytest

from courses.models import CoursePage, LessonChapter, Question, QuestionType, QuizPage
from devtools.demo.courses import courses_seed

pytestmark = pytest.mark.django_db


def test_seed_creates_both_courses_and_is_idempotent():
    from devtools.demo.guidebook import guidebook_seed

    guidebook_seed()
    first = courses_seed()
    assert first["created"] is True
    assert set(CoursePage.objects.values_list("title", flat=True)) == {
        "DX基礎研修", "DX PRO育成研修"}  # fmt: skip
    basics_quiz = QuizPage.objects.get(slug="quiz", title="確認テスト")
    assert basics_quiz.live
    slots = basics_quiz.live_revision.as_object().slots.all()
    assert len(slots) >= 12
    assert set(Question.objects.values_list("qtype", flat=True)) == set(QuestionType.values)
    # Every type a city meets, each question whole: answers, except an essay (marked by
    # hand, in the DX PRO quiz only) and a description (text only).
    answered = Question.objects.exclude(qtype__in=[QuestionType.ESSAY, QuestionType.DESCRIPTION])
    assert all(q.answers.exists() for q in answered)
    assert not basics_quiz.slots.filter(question__qtype=QuestionType.ESSAY).exists()
    assert LessonChapter.objects.exists()  # lessons link the summary edition

    second = courses_seed()
    assert second["created"] is False
    assert Question.objects.count() == first["questions"]
    assert CoursePage.objects.count() == 2


def test_every_demo_course_rule_names_only_parts_it_has():
    """B2: DX PRO育成研修 named the worksheet approval without a worksheet task."""
    from devtools.demo.guidebook import guidebook_seed
    from devtools.demo.svo import svo_demo_seed

    guidebook_seed()
    svo_demo_seed()
    for course in CoursePage.objects.all():
        assert course.completion_rule_errors() == {}, course.title


def test_a_demo_database_seeded_before_is_repaired():
    from devtools.demo.guidebook import guidebook_seed

    guidebook_seed()
    courses_seed()
    pro = CoursePage.objects.get(slug="dx-pro")
    CoursePage.objects.filter(pk=pro.pk).update(require_worksheet=True)
    courses_seed()
    assert CoursePage.objects.get(slug="dx-pro").completion_rule_errors() == {}
