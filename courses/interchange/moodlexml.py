"""Moodle XML reader (``<quiz><question type="...">``), with line numbers for problems.

Supported types: multichoice (``<single>`` true: single choice, false: multiple choice),
truefalse, shortanswer (``<usecase>``), numerical (``<tolerance>``; the answer ``*`` is any
other number), matching (``<subquestion>`` pairs), essay and description; ``category`` entries
set the category of the questions after them. Cloze (embedded answers) and the other types
are each refused with their line and a clear reason. The XML is parsed with defusedxml, so
entity expansion and external entities are refused.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from html import unescape
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from .base import ParsedAnswer, ParsedQuestion, ParseResult, Problem

_QUESTION_TAG = re.compile(r"<question\b")
_SUPPORTED = {
    "multichoice",
    "truefalse",
    "shortanswer",
    "numerical",
    "matching",
    "essay",
    "description",
}


def _text(element: Element | None, path: str = "text") -> str:
    """The text of ``element``'s ``path`` child; HTML (and Moodle's auto format, and text
    with tags but no format) is turned into plain text, ``plain_text`` is kept as it is."""
    if element is None:
        return ""
    node = element.find(path) if path else element
    if node is None or node.text is None:
        return ""
    value = node.text
    fmt = element.get("format", "")
    if fmt in ("html", "moodle_auto_format") or (not fmt and "<" in value):
        for tag in ("<br>", "<br />", "<br/>", "</p>"):
            value = value.replace(tag, tag + "\n")
        value = unescape(strip_tags(value))
    return value.strip()


def _decimal(value: str | None, default: str = "0") -> Decimal:
    message = _("“%(text)s” is not a number.") % {"text": value}
    try:
        number = Decimal((value or default).strip())
    except InvalidOperation:
        raise ValueError(message) from None
    if not number.is_finite():
        raise ValueError(message)
    return number


def _answers(node: Element, *, numeric: bool = False) -> list[ParsedAnswer]:
    answers = []
    for answer in node.findall("answer"):
        text = _text(answer)
        parsed = ParsedAnswer(
            text=text,
            fraction=_decimal(answer.get("fraction")),
            feedback=_text(answer.find("feedback")),
        )
        if numeric and text != "*":
            parsed.value = _decimal(text)
            parsed.tolerance = abs(_decimal(answer.findtext("tolerance")))
        answers.append(parsed)
    return answers


def _pairs(node: Element) -> list[ParsedAnswer]:
    """The ``<subquestion>`` pairs of a matching question (an empty item: a wrong answer)."""
    pairs = [
        ParsedAnswer(text=_text(sub), fraction=Decimal(100), match_text=_text(sub.find("answer")))
        for sub in node.findall("subquestion")
    ]
    if any(not pair.match_text for pair in pairs):
        raise ValueError(_("A pair of a matching question has no answer."))
    if sum(1 for pair in pairs if pair.text) < 2:
        raise ValueError(_("A matching question needs at least two pairs."))
    return pairs


def _question(node: Element, line: int, category: str) -> ParsedQuestion:
    qtype = node.get("type", "")
    question = ParsedQuestion(
        line=line,
        qtype="",
        name=_text(node.find("name")),
        text=_text(node.find("questiontext")),
        category=category,
        general_feedback=_text(node.find("generalfeedback")),
        points=_decimal(node.findtext("defaultgrade"), "1"),
    )
    if not question.text:
        raise ValueError(_("The question has no text."))
    if qtype == "multichoice":
        single = (node.findtext("single") or "true").strip().lower() in ("true", "1")
        question.qtype = "single" if single else "multiple"
        question.answers = _answers(node)
    elif qtype == "truefalse":
        question.qtype = "truefalse"
        question.answers = _answers(node)
        for answer in question.answers:
            answer.text = "true" if answer.text.lower() in ("true", "正しい") else "false"
        if sorted(a.text for a in question.answers) != ["false", "true"]:
            raise ValueError(_("A true/false question needs a true and a false answer."))
    elif qtype == "shortanswer":
        question.qtype = "short"
        question.ignore_case = (node.findtext("usecase") or "0").strip() in ("0", "false")
        question.answers = _answers(node)
    elif qtype == "numerical":
        question.qtype = "numeric"
        question.answers = _answers(node, numeric=True)
    elif qtype == "matching":
        question.qtype = "matching"
        question.answers = _pairs(node)
    else:  # essay, description: no answers
        question.qtype = qtype
        if qtype == "description":
            question.points = Decimal(0)
        return question
    if not question.answers:
        raise ValueError(_("The question has no answers."))
    if not any(answer.fraction > 0 for answer in question.answers):
        raise ValueError(_("No answer is right."))
    return question


def parse_moodle_xml(text: str) -> ParseResult:
    result = ParseResult()
    text = text.lstrip("\ufeff")
    try:
        root = fromstring(text.encode("utf-8"))
    except ParseError as error:
        line = getattr(error, "position", (1, 0))[0]
        result.problems.append(Problem(line, _("Not valid XML: %(error)s") % {"error": error}))
        return result
    except DefusedXmlException:
        result.problems.append(Problem(1, _("XML with entity declarations is refused.")))
        return result
    if root.tag != "quiz":
        result.problems.append(Problem(1, _("Not a Moodle XML file: the root must be <quiz>.")))
        return result
    lines = [text.count("\n", 0, m.start()) + 1 for m in _QUESTION_TAG.finditer(text)]
    category = ""
    for index, node in enumerate(root.findall("question")):
        line = lines[index] if index < len(lines) else 1
        qtype = node.get("type", "")
        if qtype == "category":
            path = _text(node.find("category"))
            category = path.removeprefix("$course$/").removeprefix("top/").strip("/")
            category = category.split("/")[-1] if category else ""
            continue
        name = _text(node.find("name"))
        if qtype in ("cloze", "multianswer"):
            result.problems.append(
                Problem(line, _("Cloze (embedded answers) questions cannot be imported."), name)
            )
            continue
        if qtype not in _SUPPORTED:
            result.problems.append(
                Problem(
                    line, _("Question type “%(type)s” is not supported.") % {"type": qtype}, name
                )
            )
            continue
        try:
            result.questions.append(_question(node, line, category))
        except ValueError as error:
            result.problems.append(Problem(line, str(error), name))
    if not result.questions and not result.problems:
        result.problems.append(Problem(1, _("The file contains no questions.")))
    return result
