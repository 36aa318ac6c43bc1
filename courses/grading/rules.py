"""Grading of one attempt from its snapshot: pure functions, no database.

A snapshot question (see ``courses.quiz.draw``) is a dict with ``key``, ``type``, ``points``,
``answers`` (each with ``key``, ``text``, ``fraction``, ``feedback`` and for numeric answers
``value``/``tolerance``), the per-question options and feedback. A response is a choice key
(single, true/false), a list of choice keys (multiple) or the typed text (short, numeric).

Rules:

* single choice, true/false: the fraction of the chosen answer (negative counts as 0).
* multiple choice: the fractions of the chosen answers add up, clamped to 0..100. A chosen
  answer with fraction 0 is a wrong pick and costs ``100 / number of right answers`` so that
  ticking everything never scores. Without partial credit only the exact set of right answers
  (fraction > 0) scores, in full.
* short answer: the best fraction among accepted answers that match after normalisation.
* numeric: the best fraction among answers whose value ± tolerance contains the number; an
  answer without a value (``*``) matches any number.
* matching: the fraction of the items paired with their answer (as Moodle); without partial
  credit only all pairs right scores. A response maps item keys to option keys.
* essay: nothing automatic: the question is "pending" until a marker scores it
  (``apply_marks``), and so is the attempt's result.
* description: no points, no response.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .normalise import normalise_text, parse_number, wildcard_match

HUNDRED = Decimal("100")
ZERO = Decimal("0")


@dataclass(frozen=True)
class QuestionResult:
    key: str
    score: Decimal
    max_score: Decimal
    fraction: Decimal  # 0..100
    chosen_feedback: list[str]
    pending: bool = False  # an essay waiting for its marker

    @property
    def state(self) -> str:
        if self.pending:
            return "pending"
        if self.fraction >= HUNDRED:
            return "right"
        return "partial" if self.fraction > ZERO else "wrong"

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "score": str(self.score),
            "max_score": str(self.max_score),
            "fraction": str(self.fraction),
            "state": self.state,
            "feedback": self.chosen_feedback,
        }


@dataclass(frozen=True)
class AttemptResult:
    score: Decimal
    max_score: Decimal
    percent: Decimal
    passed: bool
    questions: list[QuestionResult]
    pending: bool = False  # some answer waits for a marker: ``passed`` means nothing yet


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def _clamp(value: Decimal) -> Decimal:
    return max(ZERO, min(HUNDRED, value))


def _grade_single(question: dict, response: Any) -> tuple[Decimal, list[str]]:
    for answer in question["answers"]:
        if isinstance(response, str) and answer["key"] == response:
            return _clamp(_dec(answer["fraction"])), [answer["feedback"]]
    return ZERO, []


def _grade_multiple(question: dict, response: Any) -> tuple[Decimal, list[str]]:
    chosen = set(response) if isinstance(response, list) else set()
    answers = question["answers"]
    picked = [a for a in answers if a["key"] in chosen]
    feedback = [a["feedback"] for a in picked]
    right_keys = {a["key"] for a in answers if _dec(a["fraction"]) > ZERO}
    if not question.get("partial_credit", True):
        return (HUNDRED if right_keys and chosen == right_keys else ZERO), feedback
    wrong_pick_cost = HUNDRED / len(right_keys) if right_keys else HUNDRED
    total = ZERO
    for answer in picked:
        fraction = _dec(answer["fraction"])
        total += fraction if fraction != ZERO else -wrong_pick_cost
    return _clamp(total), feedback


def _grade_short(question: dict, response: Any) -> tuple[Decimal, list[str]]:
    options = {
        "ignore_case": question.get("ignore_case", True),
        "ignore_kana": question.get("ignore_kana", True),
    }
    given = normalise_text(response if isinstance(response, str) else "", **options)
    if not given:
        return ZERO, []
    best: tuple[Decimal, list[str]] = (ZERO, [])
    for answer in question["answers"]:
        accepted = normalise_text(answer["text"], **options)
        fraction = _clamp(_dec(answer["fraction"]))
        if wildcard_match(accepted, given) and (fraction > best[0] or not best[1]):
            best = (fraction, [answer["feedback"]])
    return best


def _grade_numeric(question: dict, response: Any) -> tuple[Decimal, list[str]]:
    number = parse_number(response if isinstance(response, str) else "")
    if number is None:
        return ZERO, []
    best: tuple[Decimal, list[str]] = (ZERO, [])
    for answer in question["answers"]:
        if answer.get("value") is None:
            if answer.get("text") != "*":
                continue
        elif abs(number - _dec(answer["value"])) > abs(_dec(answer.get("tolerance") or 0)):
            continue
        fraction = _clamp(_dec(answer["fraction"]))
        if fraction > best[0] or not best[1]:
            best = (fraction, [answer["feedback"]])
    return best


def _grade_matching(question: dict, response: Any) -> tuple[Decimal, list[str]]:
    items = [answer for answer in question["answers"] if answer["text"]]
    if not items:
        return ZERO, []
    options = {option["key"]: option["text"] for option in question.get("options", [])}
    chosen = response if isinstance(response, dict) else {}
    right = sum(1 for item in items if options.get(chosen.get(item["key"])) == item["match_text"])
    if not question.get("partial_credit", True) and right < len(items):
        return ZERO, []
    return (HUNDRED * right / len(items)).quantize(Decimal("0.0001")), []


def _nothing(question: dict, response: Any) -> tuple[Decimal, list[str]]:
    return ZERO, []


_GRADERS = {
    "single": _grade_single,
    "truefalse": _grade_single,
    "multiple": _grade_multiple,
    "short": _grade_short,
    "numeric": _grade_numeric,
    "matching": _grade_matching,
    "essay": _nothing,
    "description": _nothing,
}


def grade_question(question: dict, response: Any) -> QuestionResult:
    """Grade one response against one snapshot question."""
    grader = _GRADERS.get(question["type"])
    if grader is None:
        raise ValueError(f"unknown question type {question['type']!r}")
    fraction, feedback = grader(question, response)
    points = ZERO if question["type"] == "description" else _dec(question["points"])
    score = (points * fraction / HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return QuestionResult(
        key=question["key"],
        score=score,
        max_score=points,
        fraction=fraction,
        chosen_feedback=[text for text in feedback if text],
        pending=question["type"] == "essay",
    )


def grade_attempt(questions: list[dict], answers: dict, *, pass_mark: int) -> AttemptResult:
    """Grade every question of a snapshot; ``pass_mark`` is a percentage."""
    results = [grade_question(q, answers.get(q["key"])) for q in questions]
    score, max_score, percent, passed = _totals(
        [(r.score, r.max_score) for r in results], pass_mark
    )
    return AttemptResult(
        score=score,
        max_score=max_score,
        percent=percent,
        passed=passed,
        questions=results,
        pending=any(r.pending for r in results),
    )


def _totals(scores: list[tuple[Decimal, Decimal]], pass_mark: int):
    score = sum((s for s, _m in scores), ZERO)
    max_score = sum((m for _s, m in scores), ZERO)
    percent = (score * HUNDRED / max_score) if max_score else HUNDRED
    percent = percent.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return score, max_score, percent, percent >= Decimal(pass_mark)


@dataclass(frozen=True)
class Mark:
    """A marker's score (in points) and comment for one essay answer."""

    score: Decimal
    comment: str = ""


def apply_marks(
    result: list[dict], marks: dict[str, Mark], *, pass_mark: int
) -> tuple[list[dict], Decimal, Decimal, Decimal, bool]:
    """The attempt's stored result (``QuestionResult.as_json`` items) with every pending
    question scored from ``marks`` (by question key), and the new score, maximum, percent
    and pass. Raises ``ValueError`` when a pending question has no mark or a mark is outside
    0..its points."""
    updated = []
    for item in result:
        item = dict(item)
        if item.get("state") == "pending":
            mark = marks.get(item["key"])
            if mark is None:
                raise ValueError(f"question {item['key']} has no mark")
            points = _dec(item["max_score"])
            if not ZERO <= mark.score <= points:
                raise ValueError(f"mark {mark.score} outside 0..{points}")
            fraction = (mark.score * HUNDRED / points) if points else HUNDRED
            state = QuestionResult("", ZERO, ZERO, fraction, []).state
            item.update(
                score=str(mark.score),
                fraction=str(fraction.quantize(Decimal("0.0001"))),
                state=state,
                feedback=[mark.comment] if mark.comment else [],
            )
        updated.append(item)
    score, max_score, percent, passed = _totals(
        [(_dec(i["score"]), _dec(i["max_score"])) for i in updated], pass_mark
    )
    return updated, score, max_score, percent, passed
