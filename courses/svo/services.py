"""Writes of SVO worksheets: autosave, submit, the automatic checks and review decisions.

Each service checks its own permission before it changes anything: only the author saves and
submits a worksheet, and ``worksheet_review_decide`` asks ``org.access`` whether the reviewer
reviews the author (a DX PRO of the author's unit, HR where none is appointed, never oneself).
It also refuses a worksheet that is not waiting for a decision and a version other than the
one the reviewer saw, and writes the decision to the audit log in the same transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import AuditAction
from core.queue import enqueue_on_commit
from org import access

from ..models import (
    ReviewDecision,
    SvoExercisePage,
    SvoReview,
    SvoStatement,
    SvoStatementComment,
    SvoWorksheet,
    SvoWorksheetVersion,
    WorksheetStatus,
)
from ..signals import worksheet_approved, worksheet_returned, worksheet_submitted
from ..tasks import review_notify_task, worksheet_check_task
from ..years import Period, course_path_of, training_period
from .numbers import NumberRefused, read_minutes, read_number

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

#: The fields of a statement a learner writes, in the order WHAT -> WHY -> HOW.
STATEMENT_FIELDS = (
    "subject",
    "verb",
    "object",
    "medium",
    "frequency",
    "count_per_year",
    "minutes_per_case",
    "purpose",
    "beneficiary",
    "idea",
    "idea_type",
    "expected_effect",
)
#: What each field accepts, read from the model so the two never disagree.
_FIELDS = {name: SvoStatement._meta.get_field(name) for name in STATEMENT_FIELDS}
_CHOICES = {
    name: {value for value, _label in f.choices} for name, f in _FIELDS.items() if f.choices
}
#: How each volume field reads what people type (courses.svo.numbers).
_NUMBERS = {"count_per_year": read_number, "minutes_per_case": read_minutes}
_TEXT_LIMITS = {name: f.max_length for name, f in _FIELDS.items() if f.max_length and not f.choices}
#: The longest free text (the model's text fields have no limit; a worksheet is not a book).
MAX_TEXT = 4000


class WorksheetConflict(Exception):
    """The worksheet changed since the copy the save was made from (another tab or device)."""

    def __init__(self, current_lock_version: int):
        super().__init__(_("This worksheet was changed elsewhere. Reload to see the latest."))
        self.current_lock_version = current_lock_version


class WorksheetNotEditable(Exception):
    """The worksheet is submitted or approved; it cannot be changed now."""


class StatementFieldErrors(Exception):
    """Some fields of the statements cannot be saved as typed; nothing was written.

    ``errors`` maps the index of a statement in the list given to ``worksheet_save`` to
    ``{field name: message}``.
    """

    def __init__(self, errors: dict[int, dict[str, str]]):
        super().__init__(_("Some fields cannot be saved. Correct the marked fields."))
        self.errors = errors


class DecisionRefused(Exception):
    """The decision cannot be recorded: someone else decided first, or it was resubmitted."""


@dataclass(frozen=True)
class SubmitProblem:
    position: int | None  # None: about the whole worksheet
    message: str


# --- reading and cleaning input --------------------------------------------------------------


def _clean_statement(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Only known fields, trimmed, and the fields that cannot be saved as typed with what is
    wrong (numbers: ``courses.svo.numbers``); unknown choices become empty (a select offers only
    known ones)."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in STATEMENT_FIELDS:
        value = data.get(name)
        if name in _NUMBERS:
            try:
                cleaned[name] = _NUMBERS[name](value)
            except NumberRefused as refused:
                cleaned[name] = None
                errors[name] = str(refused)
        elif name in _CHOICES:
            cleaned[name] = value if isinstance(value, str) and value in _CHOICES[name] else ""
        else:
            text = str(value or "").replace("\x00", "").strip()  # PostgreSQL refuses NUL
            cleaned[name] = text[: _TEXT_LIMITS.get(name, MAX_TEXT)]
    return cleaned, errors


def _is_blank(cleaned: dict[str, Any]) -> bool:
    return all(value in ("", None) for value in cleaned.values())


# --- worksheets ------------------------------------------------------------------------------


def worksheet_for(
    *, user: AbstractBaseUser, exercise: SvoExercisePage, period: Period | None = None
) -> SvoWorksheet:
    """The user's worksheet for the exercise in the training period (by default the one
    their training counts for, ``courses.years``), created empty if needed."""
    if period is None:
        period = training_period(user_id=user.pk, course_path=course_path_of(exercise))
    worksheet, _created = SvoWorksheet.objects.get_or_create(
        user=user, exercise=exercise, **period.fields()
    )
    return worksheet


def _own_for_update(*, worksheet_id: int, user: AbstractBaseUser) -> SvoWorksheet:
    worksheet = (
        SvoWorksheet.objects.select_for_update().select_related("exercise").get(pk=worksheet_id)
    )
    if worksheet.user_id != user.pk:
        raise PermissionDenied
    return worksheet


@transaction.atomic
def worksheet_save(
    *,
    worksheet_id: int,
    user: AbstractBaseUser,
    lock_version: int,
    statements: list[dict[str, Any]],
) -> SvoWorksheet:
    """Replace the worksheet's statements with ``statements`` (in that order).

    Each item may carry the ``id`` of an existing statement (updated in place, so reviewer
    comments stay attached); items without one are new; statements not named are removed;
    entirely empty new rows are ignored. ``lock_version`` must be the worksheet's current
    value, else :class:`WorksheetConflict` and nothing is written. More rows than the
    exercise allows are refused. A field that cannot be saved as typed (a number that is
    not one) refuses the whole save with :class:`StatementFieldErrors`, so nothing a person
    typed is dropped silently. The automatic checks run after commit.
    """
    worksheet = _own_for_update(worksheet_id=worksheet_id, user=user)
    if not worksheet.is_editable:
        raise WorksheetNotEditable
    if int(lock_version) != worksheet.lock_version:
        raise WorksheetConflict(worksheet.lock_version)
    existing = {statement.pk: statement for statement in worksheet.statements.all()}
    rows: list[tuple[SvoStatement | None, dict[str, Any]]] = []
    field_errors: dict[int, dict[str, str]] = {}
    for index, data in enumerate(statements):
        cleaned, errors = _clean_statement(data)
        if errors:
            field_errors[index] = errors
        try:
            statement = existing.get(int(data.get("id") or 0))
        except (TypeError, ValueError):
            statement = None
        if statement is None and _is_blank(cleaned) and not errors:
            continue
        rows.append((statement, cleaned))
    if field_errors:
        raise StatementFieldErrors(field_errors)
    if len(rows) > worksheet.exercise.max_statements:
        raise ValidationError(
            _("At most %(count)d statements.") % {"count": worksheet.exercise.max_statements}
        )
    kept: set[int] = set()
    for position, (statement, cleaned) in enumerate(rows, start=1):
        if statement is None:
            statement = SvoStatement(worksheet=worksheet)
        for name, value in cleaned.items():
            setattr(statement, name, value)
        statement.position = position
        statement.save()
        kept.add(statement.pk)
    worksheet.statements.exclude(pk__in=kept).delete()
    worksheet.lock_version += 1
    worksheet.save(update_fields=["lock_version", "updated_at"])
    _enqueue_check(worksheet.pk)
    return worksheet


def worksheet_submit_problems(worksheet: SvoWorksheet) -> list[SubmitProblem]:
    """What stops the worksheet from being submitted (the exercise's rules). The automatic
    findings are hints and never appear here."""
    exercise = worksheet.exercise
    statements = list(worksheet.statements.all())
    problems: list[SubmitProblem] = []
    if len(statements) < exercise.min_statements:
        problems.append(
            SubmitProblem(
                None,
                _("Write at least %(count)d statements.") % {"count": exercise.min_statements},
            )
        )
    required = [
        ("subject", _("subject")),
        ("verb", _("verb")),
        ("object", _("object")),
        ("purpose", _("purpose")),
    ]
    if exercise.require_medium:
        required.append(("medium", _("medium")))
    if exercise.require_volume:
        required += [("count_per_year", _("cases per year")), ("minutes_per_case", _("minutes"))]
    if exercise.require_beneficiary:
        required.append(("beneficiary", _("beneficiary")))
    if exercise.require_idea:
        required += [("idea", _("improvement idea")), ("idea_type", _("idea type"))]
    for statement in statements:
        missing = [label for name, label in required if getattr(statement, name) in ("", None)]
        if missing:
            problems.append(
                SubmitProblem(
                    statement.position,
                    _("Statement %(n)d: fill in %(fields)s.")
                    % {"n": statement.position, "fields": ", ".join(str(m) for m in missing)},
                )
            )
    return problems


def snapshot(statements: list[SvoStatement]) -> list[dict[str, Any]]:
    """The statements as plain data (what a version keeps)."""
    return [
        {
            "id": s.pk,
            "position": s.position,
            **{name: _json_value(getattr(s, name)) for name in STATEMENT_FIELDS},
        }
        for s in statements
    ]


def _json_value(value: Any) -> Any:
    """Minutes are Decimals (1.5): kept in a version as a whole number or a float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@transaction.atomic
def worksheet_submit(*, worksheet_id: int, user: AbstractBaseUser) -> SvoWorksheet:
    """Submit a draft or returned worksheet for review: a new version is kept, the checks
    run and ``worksheet_submitted`` is sent after commit. Raises ``ValidationError`` with
    the problems if the exercise's rules are not met."""
    worksheet = _own_for_update(worksheet_id=worksheet_id, user=user)
    if not worksheet.is_editable:
        raise WorksheetNotEditable
    problems = worksheet_submit_problems(worksheet)
    if problems:
        raise ValidationError([problem.message for problem in problems])
    worksheet.version += 1
    worksheet.status = WorksheetStatus.SUBMITTED
    worksheet.submitted_at = timezone.now()
    worksheet.lock_version += 1
    worksheet.save()
    SvoWorksheetVersion.objects.create(
        worksheet=worksheet,
        number=worksheet.version,
        statements=snapshot(list(worksheet.statements.all())),
    )
    _enqueue_check(worksheet.pk)
    worksheet_submitted.send(
        sender=SvoWorksheet,
        worksheet=worksheet,
        user=worksheet.user,
        exercise=worksheet.exercise,
        fiscal_year=worksheet.fiscal_year,
        cycle=worksheet.cycle,
    )
    return worksheet


# --- automatic checks ------------------------------------------------------------------------


def _enqueue_check(worksheet_id: int) -> None:
    """Check the worksheet once this transaction commits: recorded with it, so a broker
    outage delays the check and loses none; saves close together are one check."""
    enqueue_on_commit(worksheet_check_task, worksheet_id, key=str(worksheet_id))


# --- review ----------------------------------------------------------------------------------


def review_decision_problems(
    *, decision: str, comment: str = "", statement_comments: dict[int, str] | None = None
) -> list[str]:
    """What keeps a decision from being taken as written, before anything is asked of the
    database: an unknown decision, or a return without a word on what to change. The review
    screen asks this before its confirmation step; ``worksheet_review_decide`` enforces it."""
    if decision not in ReviewDecision.values:
        return [_("Choose return or approve.")]
    said = (comment or "").strip() or any(
        str(text).strip() for text in (statement_comments or {}).values()
    )
    if decision == ReviewDecision.RETURNED and not said:
        return [_("Say what to change: write an overall or a statement comment.")]
    return []


@transaction.atomic
def worksheet_review_decide(
    *,
    worksheet_id: int,
    reviewer: AbstractBaseUser,
    decision: str,
    version: int,
    comment: str = "",
    statement_comments: dict[int, str] | None = None,
) -> SvoReview:
    """Return or approve the submitted ``version`` of a worksheet.

    The worksheet row is locked, so of two reviewers deciding at once exactly one wins; the
    other gets :class:`DecisionRefused` (and so does a decision on a version the author has
    since replaced). Nobody decides on their own worksheet. A return needs an overall comment
    or at least one statement comment. After commit the author is e-mailed and
    ``worksheet_returned`` or ``worksheet_approved`` is sent.
    """
    if decision not in ReviewDecision.values:
        raise ValidationError(review_decision_problems(decision=decision))
    worksheet = (
        SvoWorksheet.objects.select_for_update(of=("self",))
        .select_related("exercise", "user__unit")
        .get(pk=worksheet_id)
    )
    if worksheet.user_id == reviewer.pk:
        raise PermissionDenied(_("Nobody reviews their own worksheet."))
    access.require(
        access.can_review_worksheets_of(reviewer, worksheet.user),
        _("You do not review this person's worksheets."),
    )
    if worksheet.status != WorksheetStatus.SUBMITTED or worksheet.version != int(version):
        raise DecisionRefused(
            _("This worksheet has already been decided or changed; reload the queue.")
        )
    statements = {s.pk: s for s in worksheet.statements.all()}
    notes = {
        int(pk): text.strip()
        for pk, text in (statement_comments or {}).items()
        if str(text).strip() and int(pk) in statements
    }
    comment = (comment or "").strip()
    if decision == ReviewDecision.RETURNED and not (comment or notes):
        raise ValidationError(_("Say what to change: write an overall or a statement comment."))
    review = SvoReview.objects.create(
        worksheet=worksheet,
        version=worksheet.version,
        reviewer=reviewer,
        decision=decision,
        comment=comment,
    )
    SvoStatementComment.objects.bulk_create(
        SvoStatementComment(
            review=review, statement=statements[pk], position=statements[pk].position, text=text
        )
        for pk, text in notes.items()
    )
    worksheet.status = (
        WorksheetStatus.APPROVED
        if decision == ReviewDecision.APPROVED
        else WorksheetStatus.RETURNED
    )
    worksheet.decided_at = timezone.now()
    worksheet.lock_version += 1
    worksheet.save(update_fields=["status", "decided_at", "lock_version", "updated_at"])
    approved = decision == ReviewDecision.APPROVED
    audit.record(
        action=AuditAction.WORKSHEET_APPROVED if approved else AuditAction.WORKSHEET_RETURNED,
        actor=reviewer,
        target=worksheet,
        unit=worksheet.user.unit_id,
        details={
            "review_id": review.pk,
            "version": review.version,
            "fiscal_year": worksheet.fiscal_year,
            "author_id": worksheet.user_id,
        },
    )
    enqueue_on_commit(review_notify_task, review.pk, key=str(review.pk))
    (worksheet_approved if approved else worksheet_returned).send(
        sender=SvoWorksheet,
        worksheet=worksheet,
        user=worksheet.user,
        exercise=worksheet.exercise,
        fiscal_year=worksheet.fiscal_year,
        cycle=worksheet.cycle,
        review=review,
    )
    return review
