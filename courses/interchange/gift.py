"""GIFT, Moodle's text format for questions: reader and writer.

Read as Moodle's own reader (``qformat_gift``) reads it: ``//`` comments, ``$CATEGORY:``,
``::name::``, format markers (``[html]``, ``[markdown]``, ``[plain]``, ``[moodle]``; tags are
taken out of ``[html]`` text), multiple choice with one ``=`` right answer (single choice) or
with ``~%n%`` weights (multiple choice), short answer (only ``=`` answers, with ``%n%``
weights), true/false (``T``/``TRUE``/``F``/``FALSE`` with ``#wrong#right`` feedback), numeric
(``#value``, ``#value:tolerance``, ``#min..max``, several ``=`` answers with weights, and
``~#feedback`` for any other number), matching (``=item -> answer``; ``= -> answer`` adds a
wrong answer), essay (an empty block ``{}``), description (no block at all), per-answer
``#feedback``, general feedback ``####``, the escapes ``\\~ \\= \\# \\{ \\} \\:`` and
``\\n``, and text after the answer block (missing-word questions).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.utils.html import strip_tags
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


def _plain(text: str) -> str:
    """A text of the file as the bank keeps it: escapes undone, a leading format marker
    (``[html]``, ``[plain]``...) dropped, and HTML tags taken out of ``[html]`` text."""
    text = text.strip()
    match = _FORMAT.match(text)
    if match:
        text = text[match.end() :]
        if match.group(1).lower() == "html":
            return strip_tags(_unescape(text).replace("<br />", "\n").replace("<br>", "\n"))
    return _unescape(text)


def _numeric_value(value_text: str) -> tuple[Decimal, Decimal]:
    """``value``, ``value:tolerance`` or ``min..max`` as (value, tolerance)."""
    value_text = value_text.strip()
    if ".." in value_text:
        low, high = (_number(part) for part in value_text.split("..", 1))
        if low > high:
            raise GiftError(_("The range %(range)s is empty.") % {"range": value_text})
        return (low + high) / 2, (high - low) / 2
    cut = _find(value_text, ":")
    if cut != -1:
        return _number(value_text[:cut]), abs(_number(value_text[cut + 1 :]))
    return _number(value_text), Decimal(0)


def _numeric_answer(body: str) -> ParsedAnswer:
    weight, body = _weight(body)
    value_text, feedback = _answer_feedback(body)
    fraction = Decimal(100) if weight is None else weight
    if value_text.strip() == "*":  # any number (Moodle writes its wrong-answer feedback so)
        return ParsedAnswer(text="*", fraction=fraction, feedback=_plain(feedback))
    value, tolerance = _numeric_value(value_text)
    return ParsedAnswer(
        text=f"{value}",
        fraction=fraction,
        feedback=_plain(feedback),
        value=value,
        tolerance=tolerance,
    )


def _parse_numeric(body: str, question: ParsedQuestion) -> None:
    """What follows the ``#`` of a numeric block, read as Moodle's qformat_gift reads it.

    Everything from the first ``~`` on is the feedback for a wrong answer (``{#3:2~#Wrong}``),
    kept as an answer ``*`` worth 0 that matches any number. The rest is one or more answers
    separated by ``=``, each ``[%weight%]value[:tolerance]`` or ``min..max``, with ``#feedback``.
    """
    question.qtype = "numeric"
    wrong_at = _find(body, "~")
    wrong = body[wrong_at:] if wrong_at != -1 else ""
    body = body[:wrong_at] if wrong_at != -1 else body
    parts = [text for _marker, text in _split_markers(body, "=") if text.strip()]
    if not parts:
        raise GiftError(_("A numeric question needs at least one value."))
    question.answers = [_numeric_answer(text) for text in parts]
    if wrong:
        question.answers.append(
            ParsedAnswer(text="*", fraction=Decimal(0), feedback=_plain(_answer_feedback(wrong)[1]))
        )


def _parse_matching(block: str, question: ParsedQuestion) -> None:
    """``=item -> answer`` pairs; ``= -> answer`` only adds a wrong answer to choose from."""
    question.qtype = "matching"
    answers = []
    for marker, text in _split_markers(block, "="):
        if not marker:
            raise GiftError(_("Every pair of a matching question must start with =."))
        arrow = _find(text, "->")
        if arrow == -1:
            raise GiftError(_("Every pair of a matching question needs “->”."))
        item, match = _plain(text[:arrow]), _plain(text[arrow + 2 :])
        if not match:
            raise GiftError(_("A pair of a matching question has no answer after “->”."))
        answers.append(ParsedAnswer(text=item, fraction=Decimal(100), match_text=match))
    if sum(1 for answer in answers if answer.text) < 2:
        raise GiftError(_("A matching question needs at least two pairs."))
    question.answers = answers


def _parse_answers(block: str, question: ParsedQuestion) -> None:
    """Fill type and answers of ``question`` from the text between the braces, deciding the
    type in Moodle's order: empty (essay), ``#`` (numeric), ``~`` (choice), ``=`` with ``->``
    (matching), true/false, short answer."""
    cut = _find(block, "####")
    if cut != -1:
        question.general_feedback = _plain(block[cut + 4 :])
        block = block[:cut]
    stripped = block.strip()
    if not stripped:
        question.qtype = "essay"
        return
    if stripped.startswith("#"):
        _parse_numeric(stripped[1:], question)
        return
    if _find(stripped, "~") == -1 and _find(stripped, "->") != -1:
        _parse_matching(stripped, question)
        return
    head, _sep, _rest = stripped.partition("#")
    if head.strip().upper() in _TRUE | _FALSE:
        feedback = [_plain(part) for part in re.split(r"(?<!\\)#", stripped)[1:3]]
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
    parts = _split_markers(stripped, "=~")
    if not parts or any(not marker for marker, _text in parts):
        raise GiftError(_("Every answer must start with = or ~."))
    answers = []
    for marker, text in parts:
        weight, text = _weight(text)
        body, feedback = _answer_feedback(text)
        fraction = weight if weight is not None else Decimal(100 if marker == "=" else 0)
        answers.append(
            (marker, ParsedAnswer(text=_plain(body), fraction=fraction, feedback=_plain(feedback)))
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


def _split_name(text: str) -> tuple[str, str]:
    """(name, rest) of a question block; the name is "" when the block has none."""
    body = text.strip()
    if not body.startswith("::"):
        return "", body
    end = _find(body, "::", 2)
    if end == -1:
        raise GiftError(_("The question name is not closed with ::."))
    return _unescape(body[2:end]), body[end + 2 :]


def _parse_block(text: str, line: int, category: str) -> ParsedQuestion:
    name, body = _split_name(text)
    body = body.strip()
    open_at = _find(body, "{")
    close_at = _find(body, "}", max(open_at, 0))
    if open_at == -1 and _find(body, "}") == -1:
        # No answer block: a description, text shown between the questions (as in Moodle).
        question = ParsedQuestion(
            line=line, qtype="description", name=name, text=_plain(body), category=category
        )
        question.points = Decimal(0)
        if not question.text:
            raise GiftError(_("The question has no text."))
        return question
    if open_at == -1:
        raise GiftError(_("The answer block is not opened with {."))
    if close_at == -1:
        raise GiftError(_("The answer block is not closed with }."))
    before, block, after = body[:open_at], body[open_at + 1 : close_at], body[close_at + 1 :]
    if _find(after, "{") != -1:
        raise GiftError(_("Only one answer block per question is supported."))
    # Text after the block: a missing-word question, the block's place marked as Moodle does.
    question_text = _plain(f"{before}_____{after}" if after.strip() else before)
    question = ParsedQuestion(line=line, qtype="", name=name, text=question_text, category=category)
    _parse_answers(block, question)  # first, so that unsupported types are named as such
    if not question_text:
        raise GiftError(_("The question has no text."))
    return question


def _block_name(text: str) -> str:
    try:
        return _split_name(text)[0]
    except GiftError:
        return ""


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
        block = "\n".join(lines)
        try:
            result.questions.append(_parse_block(block, line, category))
        except GiftError as error:
            result.problems.append(Problem(line, str(error), _block_name(block)))
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


def _numeric_lines(answers) -> list[str]:
    lines, any_number = [], None
    for answer in answers:
        if answer.value is None:  # "*": any other number; Moodle reads it after a ~
            any_number = answer
            continue
        weight = "" if answer.fraction >= 100 else f"%{_fraction(answer.fraction)}%"
        lines.append(
            f"\t={weight}{_fraction(answer.value)}:{_fraction(answer.tolerance)}"
            f"{_feedback(answer.feedback)}"
        )
    if any_number is not None:
        lines.append(f"\t~#{_escape(any_number.feedback)}")
    return lines


def question_to_gift(question) -> str:
    """One bank question (a ``courses.models.Question``) in GIFT."""
    answers = list(question.answers.all())
    head = f"::{_escape(question.name)}::{_escape(question.text)}"
    if question.qtype == "description":
        return head
    lines = [head + " {"]
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
        lines += _numeric_lines(answers)
    elif question.qtype == "matching":
        lines += [f"\t={_escape(a.text)} -> {_escape(a.match_text)}" for a in answers]
    elif question.qtype != "essay":
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
