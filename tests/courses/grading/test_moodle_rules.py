"""Grading the types brought in from Moodle: matching (partial credit per pair), essay
(pending until marked, then ``apply_marks``), description (no points), numeric ``*``."""

from decimal import Decimal

import pytest

from courses.grading.rules import Mark, apply_marks, grade_attempt, grade_question


def _matching(partial_credit=True):
    return {
        "key": "q1",
        "type": "matching",
        "points": "3",
        "partial_credit": partial_credit,
        "answers": [
            {"key": "a", "text": "窓口", "match_text": "住民", "fraction": "100", "feedback": ""},
            {"key": "b", "text": "決裁", "match_text": "内部", "fraction": "100", "feedback": ""},
            {"key": "c", "text": "予算", "match_text": "財政", "fraction": "100", "feedback": ""},
            {"key": "d", "text": "", "match_text": "議会", "fraction": "100", "feedback": ""},
        ],
        "options": [
            {"key": "o1", "text": "住民"},
            {"key": "o2", "text": "内部"},
            {"key": "o3", "text": "財政"},
            {"key": "o4", "text": "議会"},
        ],
    }


@pytest.mark.parametrize(
    ("response", "fraction", "score"),
    [
        ({"a": "o1", "b": "o2", "c": "o3"}, Decimal(100), Decimal("3.00")),
        ({"a": "o1", "b": "o2", "c": "o4"}, Decimal("66.6667"), Decimal("2.00")),
        ({"a": "o1"}, Decimal("33.3333"), Decimal("1.00")),
        ({"a": "o2", "b": "o1", "c": "o4"}, Decimal(0), Decimal("0.00")),
        ("o1", Decimal(0), Decimal("0.00")),
        (None, Decimal(0), Decimal("0.00")),
    ],
)
def test_matching_scores_the_fraction_of_right_pairs(response, fraction, score):
    result = grade_question(_matching(), response)
    assert (result.fraction, result.score, result.max_score) == (fraction, score, Decimal(3))


def test_matching_without_partial_credit_scores_only_all_pairs():
    question = _matching(partial_credit=False)
    assert grade_question(question, {"a": "o1", "b": "o2", "c": "o4"}).score == 0
    assert grade_question(question, {"a": "o1", "b": "o2", "c": "o3"}).score == 3


def test_numeric_any_number_answer_gives_its_feedback_only_when_nothing_else_matches():
    question = {
        "key": "q1",
        "type": "numeric",
        "points": "1",
        "answers": [
            {"key": "a", "text": "3", "value": "3", "tolerance": "2", "fraction": "100",
             "feedback": ""},
            {"key": "b", "text": "*", "value": None, "tolerance": "0", "fraction": "0",
             "feedback": "Completely wrong"},
        ],
    }  # fmt: skip
    right = grade_question(question, "4.5")
    assert (right.state, right.chosen_feedback) == ("right", [])
    wrong = grade_question(question, "9")
    assert (wrong.state, wrong.chosen_feedback) == ("wrong", ["Completely wrong"])


ESSAY = {"key": "q2", "type": "essay", "points": "4", "answers": []}
DESCRIPTION = {"key": "q3", "type": "description", "points": "0", "answers": []}
SINGLE = {
    "key": "q4",
    "type": "single",
    "points": "2",
    "answers": [
        {"key": "r", "text": "A", "fraction": "100", "feedback": ""},
        {"key": "w", "text": "B", "fraction": "0", "feedback": ""},
    ],
}


def test_an_essay_leaves_the_attempt_pending_and_a_description_counts_nothing():
    result = grade_attempt(
        [DESCRIPTION, SINGLE, ESSAY], {"q4": "r", "q2": "長い答え"}, pass_mark=80
    )
    assert result.pending
    assert [q.state for q in result.questions] == ["wrong", "right", "pending"]
    assert (result.score, result.max_score) == (Decimal(2), Decimal(6))
    assert result.questions[0].max_score == 0


def test_apply_marks_finishes_the_grading():
    graded = grade_attempt([SINGLE, ESSAY], {"q4": "r", "q2": "答え"}, pass_mark=80)
    stored = [q.as_json() for q in graded.questions]
    result, score, max_score, percent, passed = apply_marks(
        stored, {"q2": Mark(Decimal("3"), "よく書けています")}, pass_mark=80
    )
    assert (score, max_score, percent, passed) == (Decimal(5), Decimal(6), Decimal("83.33"), True)
    assert result[1]["state"] == "partial" and result[1]["feedback"] == ["よく書けています"]
    assert result[1]["score"] == "3"
    _r, score, _m, percent, passed = apply_marks(stored, {"q2": Mark(Decimal(0))}, pass_mark=80)
    assert (score, passed) == (Decimal(2), False)


@pytest.mark.parametrize("marks", [{}, {"q2": Mark(Decimal("4.5"))}, {"q2": Mark(Decimal(-1))}])
def test_apply_marks_refuses_a_missing_or_impossible_mark(marks):
    stored = [q.as_json() for q in grade_attempt([ESSAY], {}, pass_mark=50).questions]
    with pytest.raises(ValueError):
        apply_marks(stored, marks, pass_mark=50)
