"""Moodle XML writer: the bank as a file Moodle's "Moodle XML format" import reads.

Every type of the bank is written as Moodle writes it (``qformat_xml``): multichoice (``single``
true or false), truefalse, shortanswer (``usecase``), numerical (``tolerance``; the answer
``*`` for any other number), matching (``subquestion`` pairs), essay (plain text response) and
description. Texts are plain text (``format="plain_text"``) in CDATA sections; fractions are
percentages, as Moodle writes them. A category entry (``$course$/top/<name>``) comes before the
questions of each category. ``parse_moodle_xml`` reads the file back into the same questions.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from xml.sax.saxutils import quoteattr

_PLAIN = 'format="plain_text"'


def _cdata(text: str) -> str:
    # "]]>" cannot appear in a CDATA section: end the section inside it and start another.
    return "<![CDATA[" + (text or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text_element(tag: str, text: str, *, formatted: bool = True, indent: str = "    ") -> str:
    attrs = f" {_PLAIN}" if formatted else ""
    return f"{indent}<{tag}{attrs}><text>{_cdata(text)}</text></{tag}>"


def _number(value: Decimal | None) -> str:
    return f"{Decimal(value or 0).normalize():f}"


def _answer(answer, *, numeric: bool = False) -> list[str]:
    text = answer.text
    if numeric:
        text = "*" if answer.value is None else _number(answer.value)
    lines = [
        f'    <answer fraction="{_number(answer.fraction)}" {_PLAIN}>',
        f"      <text>{_cdata(text)}</text>",
        _text_element("feedback", answer.feedback, indent="      "),
    ]
    if numeric:
        lines.append(f"      <tolerance>{_number(answer.tolerance)}</tolerance>")
    lines.append("    </answer>")
    return lines


def _combined_feedback(question) -> list[str]:
    return [
        _text_element("correctfeedback", question.correct_feedback),
        _text_element("partiallycorrectfeedback", ""),
        _text_element("incorrectfeedback", question.incorrect_feedback),
    ]


_MOODLE_TYPES = {
    "single": "multichoice",
    "multiple": "multichoice",
    "truefalse": "truefalse",
    "short": "shortanswer",
    "numeric": "numerical",
    "matching": "matching",
    "essay": "essay",
    "description": "description",
}


def question_to_moodle_xml(question) -> str:
    """One bank question (a ``courses.models.Question``) as a Moodle XML ``<question>``."""
    qtype = question.qtype
    answers = list(question.answers.all())
    points = Decimal(0) if qtype == "description" else question.points
    lines = [
        f"  <question type={quoteattr(_MOODLE_TYPES[qtype])}>",
        _text_element("name", question.name, formatted=False),
        _text_element("questiontext", question.text),
        _text_element("generalfeedback", question.general_feedback),
        f"    <defaultgrade>{_number(points)}</defaultgrade>",
        f"    <penalty>{'0' if qtype in ('essay', 'description') else '0.3333333'}</penalty>",
        "    <hidden>0</hidden>",
    ]
    if qtype in ("single", "multiple"):
        lines += [
            f"    <single>{'true' if qtype == 'single' else 'false'}</single>",
            "    <shuffleanswers>true</shuffleanswers>",
            "    <answernumbering>abc</answernumbering>",
            *_combined_feedback(question),
        ]
        for answer in answers:
            lines += _answer(answer)
    elif qtype in ("truefalse", "short"):
        if qtype == "short":
            lines.append(f"    <usecase>{0 if question.ignore_case else 1}</usecase>")
        for answer in answers:
            lines += _answer(answer)
    elif qtype == "numeric":
        for answer in answers:
            lines += _answer(answer, numeric=True)
    elif qtype == "matching":
        lines += ["    <shuffleanswers>true</shuffleanswers>", *_combined_feedback(question)]
        for answer in answers:
            lines += [
                f"    <subquestion {_PLAIN}>",
                f"      <text>{_cdata(answer.text)}</text>",
                f"      <answer><text>{_cdata(answer.match_text)}</text></answer>",
                "    </subquestion>",
            ]
    elif qtype == "essay":
        lines += [
            "    <responseformat>plain</responseformat>",
            "    <responserequired>1</responserequired>",
            "    <responsefieldlines>10</responsefieldlines>",
            "    <attachments>0</attachments>",
            "    <attachmentsrequired>0</attachmentsrequired>",
            _text_element("graderinfo", ""),
            _text_element("responsetemplate", ""),
        ]
    lines.append("  </question>")
    return "\n".join(lines)


def questions_to_moodle_xml(questions: Iterable) -> str:
    """Questions grouped by category, as a Moodle XML file (``<quiz>``)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    category = None
    for question in questions:
        if question.category.name != category:
            category = question.category.name
            out += [
                '  <question type="category">',
                f"    <category><text>{_cdata('$course$/top/' + category)}</text></category>",
                "  </question>",
            ]
        out.append(question_to_moodle_xml(question))
    out.append("</quiz>")
    return "\n".join(out) + "\n"
