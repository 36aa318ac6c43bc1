"""GIFT, Moodle's text format for questions: reader and writer.

Supported (as documented by Moodle): ``//`` comments, ``$CATEGORY:``, ``::name::``, format
markers (``[html]``, ``[markdown]``, ``[plain]``, ``[moodle]``), multiple choice with one
``=`` right answer (single choice) or with ``~%n%`` weights (multiple choice), short answer
(only ``=`` answers, with ``%n%`` weights), true/false (``T``/``TRUE``/``F``/``FALSE`` with
``#wrong#right`` feedback), numeric (``#value``, ``#value:tolerance``, ``#min..max`` and several
``=`` answers), per-answer ``#feedback``, general feedback ``####``, the escapes ``\\~ \\= \\#
\\{ \\} \\:`` and ``\\n``, and text after the answer block (missing-word questions). Matching,
essay and description questions are reported as unsupported with their line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .base import ParsedAnswer, ParsedQuestion, ParseResult, Problem

_SPECIAL = "~=#{}:"
_FORMAT = re.compile(r"^\s*\[(html|markdown|plain|moodle)\]\s*", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRUE = {"T", "TRUE"}
_FALSE = {"F", "FALSE"}


class GiftError(Exception):
    pass


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out).strip()


def _find(text: str, target: str, start: int = 0) -> int:
    """Index of the first unescaped ``target`` at or after ``start``, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(target, i):
            return i
        i += 1
    return -1


def _split_markers(text: str, markers: str) -> list[tuple[str, str]]:
    """Split ``text`` before each unescaped marker char: [(marker, body), ...]."""
    parts: list[tuple[str, str]] = []
    current_marker, start, i = "", 0, 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in markers:
            if current_marker or text[start:i].strip():
                parts.append((current_marker, text[start:i]))
            current_marker, start = text[i], i + 1
        i += 1
    if current_marker or text[start:].strip():
        parts.append((current_marker, text[start:]))
    return parts


def _answer_feedback(body: str) -> tuple[str, str]:
    cut = _find(body, "#")
    if cut == -1:
        return body, ""
    return body[:cut], body[cut + 1 :]


def _weight(body: str) -> tuple[Decimal | None, str]:
    match = _WEIGHT.match(body.strip())
    if not match:
        return None, body
    return Decimal(match.group(1)), body.strip()[match.end() :]


def _number(text: str) -> Decimal:
    try:
        value = Decimal(_unescape(text))
    except InvalidOperation:
        raise GiftError(_("“%(text)s” is not a number.") % {"text": text.strip()}) from None
    if not value.is_finite():
        raise GiftError(_("“%(text)s” is not a number.") % {"text": text.strip()})
    return value


def _numeric_answer(body: str) -> ParsedAnswer:
    weight, body = _weight(body)
    value_text, feedback = _answer_feedback(body)
    value_text = value_text.strip()
    if ".." in value_text:
        low, high = (_number(part) for part in value_text.split("..", 1))
        if low > high:
            raise GiftError(_("The range %(range)s is empty.") % {"range": value_text})
        value, tolerance = (low + high) / 2, (high - low) / 2
    elif _find(value_text, ":") != -1:
        cut = _find(value_text, ":")
        value, tolerance = _number(value_text[:cut]), abs(_number(value_text[cut + 1 :]))
    else:
        value, tolerance = _number(value_text), Decimal(0)
    return ParsedAnswer(
        text=f"{value}",
        fraction=Decimal(100) if weight is None else weight,
        feedback=_unescape(feedback),
        value=value,
        tolerance=tolerance,
    )


def _parse_answers(block: str, question: ParsedQuestion) -> None:
    """Fill type and answers of ``question`` from the text between the braces."""
    cut = _find(block, "####")
    if cut != -1:
        question.general_feedback = _unescape(block[cut + 4 :])
        block = block[:cut]
    stripped = block.strip()
    if not stripped:
        raise GiftError(_("Essay questions are not supported."))
    if stripped.startswith("#"):
        question.qtype = "numeric"
        body = stripped[1:]
        parts = _split_markers(body, "=~")
        if any(marker for marker, _text in parts):
            question.answers = [
                _numeric_answer(text)
                if marker == "="
                else ParsedAnswer(
                    fraction=Decimal(0), feedback=_unescape(_answer_feedback(text)[1])
                )
                for marker, text in parts
                if marker
            ]
            question.answers = [a for a in question.answers if a.value is not None]
        else:
            question.answers = [_numeric_answer(body)]
        if not question.answers:
            raise GiftError(_("A numeric question needs at least one value."))
        return
    head, _sep, _rest = stripped.partition("#")
    if head.strip().upper() in _TRUE | _FALSE:
        feedback = [_unescape(part) for part in re.split(r"(?<!\\)#", stripped)[1:3]]
        wrong, right = ([*feedback, "", ""])[:2]
        is_true = head.strip().upper() in _TRUE
        question.qtype = "truefalse"
        question.answers = [
            ParsedAnswer(
                text="true",
                fraction=Decimal(100 if is_true else 0),
                feedback=right if is_true else wrong,
            ),
            ParsedAnswer(
                text="false",
                fraction=Decimal(0 if is_true else 100),
                feedback=wrong if is_true else right,
            ),
        ]
        return
    if _find(stripped, "->") != -1:
        raise GiftError(_("Matching questions are not supported."))
    parts = _split_markers(stripped, "=~")
    if not parts or any(not marker for marker, _text in parts):
        raise GiftError(_("Every answer must start with = or ~."))
    answers = []
    for marker, text in parts:
        weight, text = _weight(text)
        body, feedback = _answer_feedback(text)
        fraction = weight if weight is not None else Decimal(100 if marker == "=" else 0)
        answers.append(
            (
                marker,
                ParsedAnswer(text=_unescape(body), fraction=fraction, feedback=_unescape(feedback)),
            )
        )
    markers = [marker for marker, _a in answers]
    question.answers = [answer for _m, answer in answers]
    if any(not answer.text for answer in question.answers):
        raise GiftError(_("An answer is empty."))
    if "~" not in markers:
        question.qtype = "short"
    elif markers.count("=") == 1:
        question.qtype = "single"
    elif markers.count("=") == 0:
        if not any(answer.fraction > 0 for answer in question.answers):
            raise GiftError(_("No answer is right: mark one with = or give weights like ~%50%."))
        question.qtype = "multiple"
    else:
        question.qtype = "multiple"
    if question.qtype == "multiple":
        total = sum((a.fraction for a in question.answers if a.fraction > 0), Decimal(0))
        if total > Decimal("100.5") or total < Decimal("99.5"):
            raise GiftError(
                _("The positive weights add up to %(total)s%%, not 100%%.") % {"total": total}
            )
    for answer in question.answers:
        if not Decimal(-100) <= answer.fraction <= Decimal(100):
            raise GiftError(_("A weight must be between -100% and 100%."))


def _parse_block(text: str, line: int, category: str) -> ParsedQuestion:
    name = ""
    body = text.strip()
    if body.startswith("::"):
        end = _find(body, "::", 2)
        if end == -1:
            raise GiftError(_("The question name is not closed with ::."))
        name = _unescape(body[2:end])
        body = body[end + 2 :]
    body = _FORMAT.sub("", body, count=1)
    open_at = _find(body, "{")
    if open_at == -1:
        raise GiftError(_("Description items (no answer block) are not supported."))
    close_at = _find(body, "}", open_at)
    if close_at == -1:
        raise GiftError(_("The answer block is not closed with }."))
    before, block, after = body[:open_at], body[open_at + 1 : close_at], body[close_at + 1 :]
    if _find(after, "{") != -1:
        raise GiftError(_("Only one answer block per question is supported."))
    question_text = _unescape(before)
    if after.strip():
        question_text = f"{question_text} _____ {_unescape(after)}".strip()
    question = ParsedQuestion(line=line, qtype="", name=name, text=question_text, category=category)
    _parse_answers(block, question)  # first, so that unsupported types are named as such
    if not question_text:
        raise GiftError(_("The question has no text."))
    return question


def _blocks(text: str) -> Iterable[tuple[int, list[str]]]:
    """(first line number, lines) of each blank-line separated block, comments removed."""
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            if current:
                yield start, current
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        yield start, current


def parse_gift(text: str) -> ParseResult:
    """Read a GIFT file; every question that cannot be read becomes a problem with its line."""
    result = ParseResult()
    category = ""
    text = text.lstrip("\ufeff")
    for line, lines in _blocks(text):
        while lines and lines[0].strip().startswith("$CATEGORY:"):
            category = lines[0].strip()[len("$CATEGORY:") :].strip()
            category = category.removeprefix("$course$/").removeprefix("top/").strip("/")
            category = category.split("/")[-1] if category else ""
            lines = lines[1:]
            line += 1
        if not lines:
            continue
        try:
            result.questions.append(_parse_block("\n".join(lines), line, category))
        except GiftError as error:
            result.problems.append(Problem(line, str(error)))
    if not result.questions and not result.problems:
        result.problems.append(Problem(1, _("The file contains no questions.")))
    return result


# --- writing -------------------------------------------------------------------------------


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _fraction(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _feedback(text: str) -> str:
    return f"#{_escape(text)}" if text else ""


def question_to_gift(question) -> str:
    """One bank question (a ``courses.models.Question``) in GIFT."""
    answers = list(question.answers.all())
    lines = [f"::{_escape(question.name)}::{_escape(question.text)} {{"]
    if question.qtype == "truefalse":
        right = next((a for a in answers if a.fraction >= 100), None)
        is_true = right is None or right.text == "true"
        wrong = next((a for a in answers if a is not right), None)
        lines[0] += "TRUE" if is_true else "FALSE"
        if (wrong and wrong.feedback) or (right and right.feedback):
            lines[0] += _feedback(wrong.feedback if wrong else "") or "#"
            lines[0] += _feedback(right.feedback if right else "")
    elif question.qtype == "numeric":
        lines[0] += "#"
        for answer in answers:
            weight = "" if answer.fraction >= 100 else f"%{_fraction(answer.fraction)}%"
            lines.append(
                f"\t={weight}{_fraction(answer.value)}:{_fraction(answer.tolerance)}"
                f"{_feedback(answer.feedback)}"
            )
    else:
        for answer in answers:
            if question.qtype == "single":
                marker = "=" if answer.fraction >= 100 else "~"
                weight = "" if answer.fraction in (0, 100) else f"%{_fraction(answer.fraction)}%"
            elif question.qtype == "short":
                marker = "="
                weight = "" if answer.fraction >= 100 else f"%{_fraction(answer.fraction)}%"
            else:
                marker = "~"
                weight = f"%{_fraction(answer.fraction)}%"
            lines.append(f"\t{marker}{weight}{_escape(answer.text)}{_feedback(answer.feedback)}")
    if question.general_feedback:
        lines.append(f"\t####{_escape(question.general_feedback)}")
    if len(lines) == 1:
        return lines[0] + "}"
    return "\n".join([*lines, "}"])


def questions_to_gift(questions: Iterable) -> str:
    """Questions grouped by category, as a GIFT file that ``parse_gift`` reads back."""
    out: list[str] = []
    category = None
    for question in questions:
        if question.category.name != category:
            category = question.category.name
            out.append(f"$CATEGORY: {category}\n")
        out.append(question_to_gift(question) + "\n")
    return "\n".join(out)
