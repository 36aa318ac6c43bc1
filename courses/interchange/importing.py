"""Create bank questions from a parse result: all of them, or none when there are problems,
unless the caller asks to skip the refused ones (``skip_invalid``, the command's
``--skip-invalid`` and the import screen's checkbox): then the valid ones are created and the
refused ones stay listed, by line, in the parse result's problems."""

from __future__ import annotations

from django.conf import settings
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
def questions_import(
    *, parsed: ParseResult, category: str = "", skip_invalid: bool = False
) -> list[Question]:
    """Create every parsed question with its answers, in its category (created if needed).

    ``category`` is used for questions the file does not put in a category. Refuses the
    whole file (creating nothing) when the parse found any problem, or when a number would
    not fit its column (a result not checked by ``parse_questions``). With ``skip_invalid``
    the questions that can be stored are created and the others left out; a file with no
    such question, or with more than one import takes, is still refused.
    """
    items = [q for q in parsed.questions if not question_problems(q)]
    problems = parsed.problems or len(items) < len(parsed.questions)
    if problems and not skip_invalid:
        count = len(parsed.problems) or len(parsed.questions) - len(items)
        raise ImportRefused(
            _("The file has %(count)d problem(s); nothing was imported.") % {"count": count}
        )
    if not items:
        raise ImportRefused(_("The file contains no question that can be imported."))
    if len(items) > settings.QUESTION_IMPORT_MAX_QUESTIONS:
        raise ImportRefused(
            _("The file has %(count)d questions; one import takes at most %(limit)d.")
            % {"count": len(items), "limit": settings.QUESTION_IMPORT_MAX_QUESTIONS}
        )
    categories: dict[str, QuestionCategory] = {}
    created = []
    for item in items:
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
                match_text=answer.match_text[:1000],
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
