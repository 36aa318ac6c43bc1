"""Create bank questions from a parse result: all of them, or none when there are problems."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Answer, Question, QuestionCategory
from .base import ParseResult
from .limits import question_problems

DEFAULT_CATEGORY = "Imported"


class ImportRefused(Exception):
    """The file had problems; nothing was created."""


def _category_name(question, default: str) -> str:
    return (question.category or default or DEFAULT_CATEGORY)[:120]


@transaction.atomic
def questions_import(*, parsed: ParseResult, category: str = "") -> list[Question]:
    """Create every parsed question with its answers, in its category (created if needed).

    ``category`` is used for questions the file does not put in a category. Refuses the
    whole file (creating nothing) when the parse found any problem, or when a number would
    not fit its column (a result not checked by ``parse_questions``).
    """
    problems = parsed.problems or [p for q in parsed.questions for p in question_problems(q)]
    if problems:
        raise ImportRefused(
            _("The file has %(count)d problem(s); nothing was imported.") % {"count": len(problems)}
        )
    if not parsed.questions:
        raise ImportRefused(_("The file contains no questions."))
    categories: dict[str, QuestionCategory] = {}
    created = []
    for item in parsed.questions:
        name = _category_name(item, category)
        if name not in categories:
            categories[name], _created = QuestionCategory.objects.get_or_create(name=name)
        question = Question(
            category=categories[name],
            name=(item.name or item.text)[:255],
            qtype=item.qtype,
            text=item.text,
            points=item.points,
            ignore_case=item.ignore_case,
            general_feedback=item.general_feedback,
        )
        question.answers = [
            Answer(
                text=answer.text[:1000],
                fraction=answer.fraction,
                feedback=answer.feedback,
                value=answer.value,
                tolerance=answer.tolerance,
                sort_order=position,
            )
            for position, answer in enumerate(item.answers)
        ]
        question.save()
        created.append(question)
    return created
