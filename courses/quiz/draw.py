"""Drawing the questions of a new attempt and the learner-safe view of them.

``draw_questions`` turns a quiz's slots (fixed questions and random draws from categories) into
the snapshot an attempt keeps: every value grading needs, with opaque per-attempt choice keys
(never database ids, whose order could betray which choice was written first, i.e. usually
the right one). ``public_questions`` strips a snapshot down to what the browser may see before
submission: text, points and choice labels - no fractions, no feedback, no accepted answers.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from ..models import Question, QuestionType, QuizSlot
from ..models.questions import CHOICE_TYPES

_rng = random.SystemRandom()


def _answer_snapshot(answer) -> dict[str, Any]:
    return {
        "key": secrets.token_hex(4),
        "text": answer.text,
        "match_text": answer.match_text,
        "fraction": str(answer.fraction),
        "feedback": answer.feedback,
        "value": None if answer.value is None else str(answer.value),
        "tolerance": str(answer.tolerance),
    }


def question_snapshot(question: Question, *, index: int, shuffle_choices: bool) -> dict:
    """Everything an attempt needs of ``question``, frozen."""
    answers = [_answer_snapshot(answer) for answer in question.answers.all()]
    if question.qtype == QuestionType.TRUE_FALSE:
        answers.sort(key=lambda a: a["text"] != "true")  # always "true" first
    elif question.qtype in CHOICE_TYPES and shuffle_choices:
        _rng.shuffle(answers)
    extra: dict[str, Any] = {}
    if question.qtype == QuestionType.MATCHING:
        # The answers to choose from, each once, always shuffled: their order in the bank
        # is the order of the items, which would give the pairs away.
        texts = list(dict.fromkeys(a["match_text"] for a in answers if a["match_text"]))
        _rng.shuffle(texts)
        extra["options"] = [{"key": secrets.token_hex(4), "text": text} for text in texts]
        if shuffle_choices:
            _rng.shuffle(answers)
    return {
        **extra,
        "key": f"q{index}",
        "question_id": question.pk,
        "type": question.qtype,
        "name": question.name,
        "text": question.text,
        "points": "0" if question.qtype == QuestionType.DESCRIPTION else str(question.points),
        "partial_credit": question.partial_credit,
        "ignore_case": question.ignore_case,
        "ignore_kana": question.ignore_kana,
        "general_feedback": question.general_feedback,
        "correct_feedback": question.correct_feedback,
        "incorrect_feedback": question.incorrect_feedback,
        "answers": answers,
    }


def draw_questions(
    slots: Iterable[QuizSlot], *, shuffle_questions: bool, shuffle_choices: bool
) -> list[dict]:
    """The snapshot of a new attempt: fixed questions in order, random ones drawn fresh.

    A random draw never repeats a question already in the attempt and never draws a
    description (text only, as in Moodle); a category with fewer questions than asked gives
    what it has.
    """
    slots = list(slots)
    fixed_ids = [slot.question_id for slot in slots if slot.question_id]
    category_ids = {slot.category_id for slot in slots if slot.category_id}
    pool = Question.objects.filter(pk__in=fixed_ids)
    if category_ids:
        pool = pool | Question.objects.filter(category_id__in=category_ids)
    by_id = {q.pk: q for q in pool.prefetch_related("answers")}

    chosen: list[Question] = []
    used: set[int] = set()
    for slot in slots:
        if slot.question_id:
            question = by_id.get(slot.question_id)
            if question and question.pk not in used:
                chosen.append(question)
                used.add(question.pk)
        elif slot.category_id:
            candidates = [
                q
                for q in by_id.values()
                if q.category_id == slot.category_id
                and q.pk not in used
                and q.qtype != QuestionType.DESCRIPTION  # as Moodle: never drawn at random
            ]
            for question in _rng.sample(candidates, min(slot.count, len(candidates))):
                chosen.append(question)
                used.add(question.pk)
    if shuffle_questions:
        _rng.shuffle(chosen)
    return [
        question_snapshot(question, index=number, shuffle_choices=shuffle_choices)
        for number, question in enumerate(chosen, start=1)
    ]


def question_count(slots: Iterable[QuizSlot]) -> int:
    """How many questions ``draw_questions`` gives an attempt of these slots (two queries).

    Counted the way the draw works, so the quiz page can state it from the settings rather
    than from a hand-typed introduction: a fixed question counts once, and a random slot
    counts what its category can still give after the questions already in the attempt.
    Descriptions are not questions: they are neither counted nor drawn.
    """
    slots = list(slots)
    fixed_ids = {slot.question_id for slot in slots if slot.question_id}
    category_ids = {slot.category_id for slot in slots if slot.category_id}
    existing = (
        Question.objects.filter(pk__in=fixed_ids)
        .exclude(qtype=QuestionType.DESCRIPTION)
        .values_list("pk", "category_id")
    )
    fixed_by_category: dict[int | None, int] = {}
    for _pk, category_id in existing:
        fixed_by_category[category_id] = fixed_by_category.get(category_id, 0) + 1
    left: dict[int, int] = {}
    if category_ids:
        for category_id, size in (
            Question.objects.filter(category_id__in=category_ids)
            .exclude(qtype=QuestionType.DESCRIPTION)
            .values_list("category_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            left[category_id] = size - fixed_by_category.get(category_id, 0)
    total = sum(fixed_by_category.values())
    for slot in slots:
        if slot.category_id and not slot.question_id:
            drawn = min(slot.count, left.get(slot.category_id, 0))
            left[slot.category_id] = left.get(slot.category_id, 0) - drawn
            total += drawn
    return total


def _choice_label(question: dict, answer: dict) -> str:
    if question["type"] == QuestionType.TRUE_FALSE:
        return _("True") if answer["text"] == "true" else _("False")
    return answer["text"]


def question_numbers(snapshot: list[dict]) -> dict[str, int | None]:
    """The number each question of a snapshot is shown with, by key: questions are numbered
    from 1, and a description (text only, nothing to answer) has no number."""
    numbers: dict[str, int | None] = {}
    number = 0
    for question in snapshot:
        if question["type"] == QuestionType.DESCRIPTION:
            numbers[question["key"]] = None
        else:
            number += 1
            numbers[question["key"]] = number
    return numbers


def public_questions(snapshot: list[dict]) -> list[dict]:
    """What the learner's browser may see of a snapshot before the attempt is graded."""
    numbers = question_numbers(snapshot)
    return [
        {
            "key": question["key"],
            "number": numbers[question["key"]],
            "type": question["type"],
            "text": question["text"],
            "points": question["points"],
            "choices": [
                {"key": answer["key"], "label": _choice_label(question, answer)}
                for answer in question["answers"]
            ]
            if question["type"] in CHOICE_TYPES
            else [],
            "items": [
                {"key": answer["key"], "text": answer["text"]}
                for answer in question["answers"]
                if question["type"] == QuestionType.MATCHING and answer["text"]
            ],
            "options": [
                {"key": option["key"], "label": option["text"]}
                for option in question.get("options", [])
            ],
        }
        for question in snapshot
    ]
