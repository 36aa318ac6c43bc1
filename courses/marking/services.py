"""Marking essay answers: score each essay of an attempt, finish its grading, tell the apps
above (the same signals as a graded attempt) and write the audit entry, in one transaction."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import AuditAction
from org import access

from ..grading.batch import announce_graded
from ..grading.rules import Mark, apply_marks
from ..models import AttemptStatus, QuizAttempt
from .selectors import may_mark


class MarkingRefused(Exception):
    """The attempt is not waiting for marking (any more)."""


@transaction.atomic
def attempt_mark(*, attempt_id: int, by, marks: dict[str, Mark]) -> QuizAttempt:
    """Score the essay answers of an attempt waiting for marking and finish its grading.

    ``marks`` gives, by question key, the points (0 to the question's points) and an
    optional comment the learner sees. The attempt's score, percent and pass are computed
    again with the marks; it becomes graded, its enrollment is evaluated
    (``attempts_graded``, in this transaction) and ``attempt_graded`` / ``attempt_passed`` are
    sent after the commit, as for an attempt graded automatically. Only a marker of the
    attempt (``org.access.markable``) may; a second marking is refused.
    """
    attempt = (
        QuizAttempt.objects.select_for_update(of=("self",))
        .select_related("user__unit", "quiz")
        .get(pk=attempt_id)
    )
    access.require(may_mark(by, attempt), _("You do not mark this person's answers."))
    if attempt.status != AttemptStatus.MARKING:
        raise MarkingRefused(_("This attempt is no longer waiting for marking; reload the queue."))
    try:
        result, score, max_score, percent, passed = apply_marks(
            attempt.result, marks, pass_mark=int((attempt.rules or {}).get("pass_mark", 0))
        )
    except ValueError:
        raise ValidationError(
            _("Give every essay answer a score between 0 and its points.")
        ) from None
    now = timezone.now()
    attempt.result = result
    attempt.score, attempt.max_score, attempt.percent = score, max_score, percent
    attempt.passed = passed
    attempt.status = AttemptStatus.GRADED
    attempt.graded_at = attempt.marked_at = now
    attempt.marked_by = by
    attempt.save(
        update_fields=[
            "result",
            "score",
            "max_score",
            "percent",
            "passed",
            "status",
            "graded_at",
            "marked_at",
            "marked_by",
        ]
    )
    audit.record(
        action=AuditAction.ATTEMPT_MARKED,
        actor=by,
        target=attempt,
        unit=attempt.user.unit_id,
        details={
            "quiz_id": attempt.quiz_id,
            "fiscal_year": attempt.fiscal_year,
            "author_id": attempt.user_id,
            "essays": len(marks),
            "passed": passed,
        },
    )
    announce_graded([attempt])
    return attempt


def parse_marks(data, essays: list[dict]) -> tuple[dict[str, Mark], dict[str, str]]:
    """The marks of a marking form (``score-<key>``, ``comment-<key>``) and an error message
    per question key that has none or an impossible one."""
    marks: dict[str, Mark] = {}
    errors: dict[str, str] = {}
    for essay in essays:
        key = essay["key"]
        raw = (data.get(f"score-{key}") or "").strip()
        points = Decimal(essay["points"])
        try:
            score = Decimal(raw)
        except ArithmeticError:
            score = None
        if not raw or score is None or not score.is_finite() or not 0 <= score <= points:
            errors[key] = _("Enter a score from 0 to %(points)s.") % {
                "points": f"{points.normalize():f}"
            }
            continue
        comment = (data.get(f"comment-{key}") or "").strip()[:4000]
        marks[key] = Mark(score=score.quantize(Decimal("0.01")), comment=comment)
    return marks, errors
