"""What the question bank can store, checked before anything is offered for import.

The readers accept any finite number, but the bank's decimal columns have a range: 100000
points previewed clean and the confirm step then failed with PostgreSQL's "numeric field
overflow" (SQLite stored it). Each number of a parsed question is checked here against the
model field it goes into (its digits, and its validators, such as credit between -100 and
100), so the preview names the line and the value, and the import refuses the same file.
Text with a NUL character, which PostgreSQL cannot store, is refused the same way. The
number of questions in one file is bounded too: one import is one transaction.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import DecimalField
from django.utils.translation import gettext as _

from ..models import Answer, Question
from .base import ParsedQuestion, ParseResult, Problem


def _bounds(field: DecimalField) -> tuple[Decimal, Decimal]:
    """The smallest and largest value ``field`` stores: its digits, narrowed by its
    validators."""
    step = Decimal(1).scaleb(-field.decimal_places)
    high = Decimal(10) ** (field.max_digits - field.decimal_places) - step
    low = -high
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            low = max(low, Decimal(validator.limit_value))
        elif isinstance(validator, MaxValueValidator):
            high = min(high, Decimal(validator.limit_value))
    return low, high


def _shown(number: Decimal) -> str:
    # str(), not format(): 1E+999999999 must not be written out in full.
    text = str(number)
    return text if len(text) <= 40 else text[:40] + "…"


def _range_problem(
    line: int, model, name: str, value: Decimal | None, question_name: str = ""
) -> Problem | None:
    if value is None:
        return None
    field = model._meta.get_field(name)
    low, high = _bounds(field)
    if low <= value <= high:
        return None
    return Problem(
        line,
        _("%(field)s %(value)s is out of range: it must be between %(low)s and %(high)s.")
        % {
            "field": field.verbose_name,
            "value": _shown(value),
            "low": f"{low.normalize():f}",
            "high": f"{high.normalize():f}",
        },
        question_name,
    )


def _texts(question: ParsedQuestion) -> list[str]:
    texts = [question.name, question.text, question.category, question.general_feedback]
    for answer in question.answers:
        texts += [answer.text, answer.feedback, answer.match_text]
    return texts


def question_problems(question: ParsedQuestion) -> list[Problem]:
    """Every number of ``question`` and its answers that its column cannot hold, and text
    that no column can (PostgreSQL refuses the NUL character in text)."""
    problems = []
    if any("\x00" in text for text in _texts(question)):
        problems.append(
            Problem(
                question.line,
                _("The question contains a NUL character, which cannot be stored."),
                question.name,
            )
        )
    checks = [(Question, "points", question.points)]
    for answer in question.answers:
        checks += [
            (Answer, "fraction", answer.fraction),
            (Answer, "value", answer.value),
            (Answer, "tolerance", answer.tolerance),
        ]
    for model, name, value in checks:
        problem = _range_problem(question.line, model, name, value, question.name)
        if problem and problem not in problems:
            problems.append(problem)
    return problems


def check_limits(result: ParseResult) -> ParseResult:
    """Move questions the bank cannot store from ``result.questions`` to its problems, and
    refuse a file with more questions than one import takes."""
    kept = []
    for question in result.questions:
        problems = question_problems(question)
        result.problems.extend(problems)
        if not problems:
            kept.append(question)
    result.questions = kept
    limit = settings.QUESTION_IMPORT_MAX_QUESTIONS
    if len(kept) > limit:
        result.problems.append(
            Problem(
                1,
                _(
                    "The file has %(count)d questions; one import takes at most %(limit)d. "
                    "Split it into several files."
                )
                % {"count": len(kept), "limit": limit},
            )
        )
    result.problems.sort(key=lambda problem: problem.line)
    return result
