"""Question bank interchange: read GIFT and Moodle XML, write GIFT and Moodle XML.

Readers return a ``ParseResult``: the questions they understood and every problem with its
line number. ``parse_questions`` also checks every number against the column it goes into
and bounds the number of questions (``courses.interchange.limits``). Nothing is written to the
database here; ``courses.interchange.importing`` creates the questions: only when the file
had no problems, or, when asked to skip the refused ones, the valid ones.
"""

from .base import ParsedAnswer, ParsedQuestion, ParseResult, Problem
from .gift import parse_gift, questions_to_gift
from .limits import check_limits
from .moodlexml import parse_moodle_xml
from .moodlexml_export import questions_to_moodle_xml

FORMATS = {"gift": parse_gift, "moodlexml": parse_moodle_xml}


def detect_format(text: str, file_name: str = "") -> str:
    """``moodlexml`` for XML (by name or content), otherwise ``gift``."""
    if file_name.lower().endswith(".xml") or text.lstrip("\ufeff \r\n\t").startswith("<"):
        return "moodlexml"
    return "gift"


def parse_questions(text: str, *, fmt: str | None = None, file_name: str = "") -> ParseResult:
    """The file read in its format, with every number the bank could not store reported as a
    problem of its line: what the preview shows is what the import accepts."""
    return check_limits(FORMATS[fmt or detect_format(text, file_name)](text))


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
    "questions_to_moodle_xml",
]
