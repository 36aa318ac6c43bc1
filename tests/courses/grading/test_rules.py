"""Grading of every question type from a snapshot, and the text normalisation behind it."""

from decimal import Decimal

import pytest

from courses.grading.normalise import normalise_text, parse_number
from courses.grading.rules import grade_attempt, grade_question


def q(qtype, answers, **options):
    return {
        "key": "q1",
        "type": qtype,
        "points": options.pop("points", "2"),
        "answers": [
            {"key": f"a{i}", "feedback": f"fb{i}", "value": None, "tolerance": "0", **answer}
            for i, answer in enumerate(answers)
        ],
        **options,
    }


@pytest.mark.parametrize(
    ("given", "accepted", "options", "match"),
    [
        ("ＤＸ", "DX", {}, True),
        ("dx", "DX", {}, True),
        ("  DX。", "DX", {}, True),
        ("dx", "DX", {"ignore_case": False}, False),
        ("でじたる", "デジタル", {}, True),
        ("ﾃﾞｼﾞﾀﾙ", "デジタル", {}, True),  # half-width katakana
        ("でじたる", "デジタル", {"ignore_kana": False}, False),
        ("業務　改革", "業務 改革", {}, True),  # ideographic space
        ("ＳＶＯ　フレームワーク", "svo ふれーむわーく", {}, True),
        ("", "DX", {}, False),
    ],
)
def test_short_answer_normalisation(given, accepted, options, match):
    question = q("short", [{"text": accepted, "fraction": "100"}], **options)
    assert (grade_question(question, given).fraction == 100) is match
    assert (normalise_text(given, **options) == normalise_text(accepted, **options)) is match


def test_short_answer_best_weight_and_wildcard():
    question = q(
        "short",
        [
            {"text": "業務改革", "fraction": "100"},
            {"text": "*改善*", "fraction": "50"},
        ],
    )
    assert grade_question(question, "業務改革").fraction == 100
    result = grade_question(question, "仕事の改善です")
    assert result.fraction == 50
    assert result.score == Decimal("1.00")
    assert result.chosen_feedback == ["fb1"]
    assert grade_question(question, "わからない").fraction == 0


@pytest.mark.parametrize(
    ("text", "number"),
    [("824", 824), ("８２４", 824), ("1,200", 1200), ("１，２００", 1200), ("−2.5", -2.5),
     ("3.0", 3), ("abc", None), ("", None), ("NaN", None), ("1e400", Decimal("1e400"))],
)  # fmt: skip
def test_parse_number_any_width(text, number):
    parsed = parse_number(text)
    assert parsed == (None if number is None else Decimal(str(number)))


def test_numeric_tolerance_and_range():
    question = q(
        "numeric",
        [
            {"value": "824", "tolerance": "0", "fraction": "100"},
            {"value": "815", "tolerance": "15", "fraction": "50"},  # 800..830
        ],
    )
    assert grade_question(question, "８２４").fraction == 100
    assert grade_question(question, "800").fraction == 50
    assert grade_question(question, "830").fraction == 50
    assert grade_question(question, "831").fraction == 0
    assert grade_question(question, "八百").fraction == 0


def test_single_choice_and_true_false():
    question = q("single", [{"text": "A", "fraction": "100"}, {"text": "B", "fraction": "-50"}])
    assert grade_question(question, "a0").score == Decimal("2.00")
    assert grade_question(question, "a1").score == 0  # penalties never go below zero
    assert grade_question(question, "zz").score == 0
    assert grade_question(question, ["a0"]).score == 0  # wrong shape scores nothing
    tf = q("truefalse", [{"text": "true", "fraction": "0"}, {"text": "false", "fraction": "100"}])
    assert grade_question(tf, "a1").state == "right"
    assert grade_question(tf, "a0").chosen_feedback == ["fb0"]


def test_multiple_choice_partial_credit():
    answers = [
        {"text": "A", "fraction": "50"},
        {"text": "B", "fraction": "50"},
        {"text": "C", "fraction": "0"},
        {"text": "D", "fraction": "0"},
    ]
    question = q("multiple", answers, partial_credit=True)
    assert grade_question(question, ["a0", "a1"]).fraction == 100
    assert grade_question(question, ["a0"]).fraction == 50
    assert grade_question(question, ["a0", "a2"]).fraction == 0  # one right, one wrong
    assert grade_question(question, ["a0", "a1", "a2", "a3"]).fraction == 0  # tick-all fails
    assert grade_question(question, "a0").fraction == 0
    strict = q("multiple", answers, partial_credit=False)
    assert grade_question(strict, ["a0"]).fraction == 0
    assert grade_question(strict, ["a1", "a0"]).fraction == 100


def test_multiple_choice_explicit_negative_weights():
    answers = [
        {"text": "A", "fraction": "100"},
        {"text": "B", "fraction": "-50"},
    ]
    question = q("multiple", answers)
    assert grade_question(question, ["a0", "a1"]).fraction == 50


def test_attempt_total_and_pass_mark():
    questions = [
        q("single", [{"text": "A", "fraction": "100"}], points="1") | {"key": "q1"},
        q("short", [{"text": "DX", "fraction": "100"}], points="3") | {"key": "q2"},
    ]
    result = grade_attempt(questions, {"q1": "a0", "q2": "dx"}, pass_mark=80)
    assert (result.score, result.max_score, result.percent, result.passed) == (
        Decimal("4.00"), Decimal("4"), Decimal("100.00"), True)  # fmt: skip
    result = grade_attempt(questions, {"q2": "ＤＸ"}, pass_mark=80)
    assert result.percent == Decimal("75.00")
    assert result.passed is False


def test_unknown_type_is_an_error():
    with pytest.raises(ValueError, match="unknown question type"):
        grade_question(q("cloze", []), "text")
