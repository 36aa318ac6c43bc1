"""Question bank interchange: read GIFT and Moodle XML, write GIFT.

Readers return a ``ParseResult``: the questions they understood and every problem with its
line number. Nothing is written to the database here; ``courses.interchange.importing``
creates the questions, and only when the file had no problems.
"""

from .base import ParsedAnswer, ParsedQuestion, ParseResult, Problem
from .gift import parse_gift, questions_to_gift
from .moodlexml import parse_moodle_xml

FORMATS = {"gift": parse_gift, "moodlexml": parse_moodle_xml}


def detect_format(text: str, file_name: str = "") -> str:
    """``moodlexml`` for XML (by name or content), otherwise ``gift``."""
    if file_name.lower().endswith(".xml") or text.lstrip("\ufeff \r\n\t").startswith("<"):
        return "moodlexml"
    return "gift"


def parse_questions(text: str, *, fmt: str | None = None, file_name: str = "") -> ParseResult:
    return FORMATS[fmt or detect_format(text, file_name)](text)


__all__ = [
    "FORMATS",
    "ParseResult",
    "ParsedAnswer",
    "ParsedQuestion",
    "Problem",
    "detect_format",
    "parse_gift",
    "parse_moodle_xml",
    "parse_questions",
    "questions_to_gift",
]
