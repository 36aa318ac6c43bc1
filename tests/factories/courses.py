"""Factories for the question bank and the course tree.

Pages are tree nodes: they are added under their parent and published through a revision, as
editors do, so that quizzes have the live revision attempts pin.
"""

from __future__ import annotations

from decimal import Decimal

import factory

from content.models import HomePage
from courses.models import (
    Answer,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    Question,
    QuestionCategory,
    QuestionType,
    QuizPage,
    QuizSlot,
)


class QuestionCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"カテゴリ{n}")


def make_question(
    qtype: str = QuestionType.SINGLE,
    *,
    answers: list[dict] | None = None,
    category: QuestionCategory | None = None,
    **fields,
) -> Question:
    """A question with answers; each answer dict holds Answer fields (text, fraction, ...)."""
    fields.setdefault("name", f"{qtype}-question")
    fields.setdefault("text", f"{qtype} の設問")
    if answers is None:
        answers = _default_answers(qtype)
    question = Question(
        category=category or QuestionCategoryFactory(name="基礎"), qtype=qtype, **fields
    )
    question.answers = [Answer(**answer) for answer in answers]
    question.save()
    return question


def _default_answers(qtype: str) -> list[dict]:
    if qtype == QuestionType.SINGLE:
        return [
            {"text": "業務の見直し", "fraction": Decimal(100), "feedback": "その通り"},
            {"text": "機器の購入", "fraction": Decimal(0), "feedback": "手段にすぎません"},
            {"text": "紙の廃止のみ", "fraction": Decimal(0), "feedback": "一部にすぎません"},
        ]
    if qtype == QuestionType.MULTIPLE:
        return [
            {"text": "人口減少", "fraction": Decimal(50)},
            {"text": "業務の限界", "fraction": Decimal(50)},
            {"text": "天候", "fraction": Decimal(0)},
        ]
    if qtype == QuestionType.TRUE_FALSE:
        return [
            {"text": "true", "fraction": Decimal(100), "feedback": "正解です"},
            {"text": "false", "fraction": Decimal(0), "feedback": "違います"},
        ]
    if qtype == QuestionType.SHORT:
        return [{"text": "DX", "fraction": Decimal(100), "feedback": "よくできました"}]
    if qtype == QuestionType.NUMERIC:
        return [{"value": Decimal(824), "tolerance": Decimal(0), "fraction": Decimal(100)}]
    if qtype == QuestionType.MATCHING:
        return [
            {"text": "窓口の受付", "match_text": "住民サービス", "fraction": Decimal(100)},
            {"text": "庁内の決裁", "match_text": "内部事務", "fraction": Decimal(100)},
            {"text": "", "match_text": "議会対応", "fraction": Decimal(100)},
        ]
    if qtype in (QuestionType.ESSAY, QuestionType.DESCRIPTION):
        return []
    raise ValueError(qtype)


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page.__class__.objects.get(pk=page.pk)


def make_course(
    *,
    title: str = "DX基礎研修",
    slug: str = "dx-basics",
    questions: list[Question] | None = None,
    lessons: int = 2,
    trains_dx_pros: bool = False,
    **quiz_fields,
) -> dict:
    """A published course with ``lessons`` lessons and one quiz over ``questions``."""
    home = HomePage.objects.first()
    index = CourseIndexPage.objects.first()
    if index is None:
        index = _publish(home, CourseIndexPage(title="研修", slug="courses"))
    course = _publish(
        index,
        CoursePage(title=title, slug=slug, estimated_minutes=30, trains_dx_pros=trains_dx_pros),
    )
    lesson_pages = [
        _publish(course, LessonPage(title=f"レッスン{i}", slug=f"lesson-{i}"))
        for i in range(1, lessons + 1)
    ]
    if questions is None:
        questions = [make_question(QuestionType.SINGLE), make_question(QuestionType.SHORT)]
    quiz = QuizPage(title="確認テスト", slug="quiz", **quiz_fields)
    # sort_order said: only the page editor's form numbers the slots, and PostgreSQL returns
    # rows of equal (NULL) sort_order in any order, which made the question order flaky.
    quiz.slots = [
        QuizSlot(question=question, sort_order=number) for number, question in enumerate(questions)
    ]
    quiz = _publish(course, quiz)
    return {"index": index, "course": course, "lessons": lesson_pages, "quiz": quiz}
