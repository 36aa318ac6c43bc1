"""What the readers produce: plain data, independent of the models."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class ParsedAnswer:
    text: str = ""
    fraction: Decimal = Decimal(0)
    feedback: str = ""
    value: Decimal | None = None
    tolerance: Decimal = Decimal(0)
    match_text: str = ""


@dataclass
class ParsedQuestion:
    line: int
    qtype: str
    name: str
    text: str
    category: str = ""
    answers: list[ParsedAnswer] = field(default_factory=list)
    general_feedback: str = ""
    points: Decimal = Decimal(1)
    ignore_case: bool = True

    @property
    def display_name(self) -> str:
        return self.name or self.text[:60]


@dataclass(frozen=True)
class Problem:
    """Why the question at ``line`` (named ``name`` when the file names it) was refused."""

    line: int
    message: str
    name: str = ""

    def __str__(self) -> str:
        named = f" ({self.name})" if self.name else ""
        return f"line {self.line}{named}: {self.message}"


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.questions)
