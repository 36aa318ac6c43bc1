"""Writes of the surveys: a questionnaire response, a department's maturity self-assessment."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lms.models import Enrollment, EnrollmentStatus, User
from org import access
from org.models import OrgUnit

from .models import (
    LIKERT_MAX,
    LIKERT_MIN,
    ItemKind,
    MaturityAssessment,
    Questionnaire,
    SurveyAnswer,
    SurveyResponse,
)


class SurveyError(Exception):
    """A response or an assessment was refused; the message is for the person."""


@dataclass(frozen=True)
class ItemError:
    item_id: int
    message: str


class SurveyInvalid(SurveyError):
    """Some answers are missing or out of range; nothing was saved."""

    def __init__(self, errors: list[ItemError]):
        super().__init__(_("Some answers need your attention."))
        self.errors = errors


def questionnaire_for(*, enrollment: Enrollment) -> Questionnaire | None:
    """The active questionnaire offered after the enrollment's course, if any."""
    return (
        Questionnaire.objects.filter(course_id=enrollment.course_id, is_active=True)
        .prefetch_related("items")
        .first()
    )


@transaction.atomic
def response_submit(
    *, user: User, enrollment: Enrollment, answers: dict[int, str]
) -> SurveyResponse:
    """Save a person's answers to the questionnaire after a completed course (once a year).

    ``answers`` maps item ids to the raw submitted values. Refuses someone else's enrollment,
    an open one, a second response for the same course and year, missing required answers and
    ratings outside 1-5; in each case nothing is saved.
    """
    if enrollment.user_id != user.pk or enrollment.status != EnrollmentStatus.COMPLETED:
        raise SurveyError(_("The questionnaire opens once you have completed the course."))
    questionnaire = questionnaire_for(enrollment=enrollment)
    if questionnaire is None:
        raise SurveyError(_("This course has no questionnaire."))
    rows: list[SurveyAnswer] = []
    errors: list[ItemError] = []
    for item in questionnaire.items.all():
        raw = (answers.get(item.pk) or "").strip()
        if not raw:
            if item.required:
                errors.append(ItemError(item.pk, _("Please answer this question.")))
            continue
        if item.kind == ItemKind.LIKERT:
            if not raw.isdigit() or not LIKERT_MIN <= int(raw) <= LIKERT_MAX:
                errors.append(ItemError(item.pk, _("Choose a value from 1 to 5.")))
                continue
            rows.append(SurveyAnswer(item=item, rating=int(raw)))
        else:
            rows.append(SurveyAnswer(item=item, text=raw[:4000]))
    if errors:
        raise SurveyInvalid(errors)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                questionnaire=questionnaire,
                course_id=enrollment.course_id,
                fiscal_year=enrollment.fiscal_year,
                user=user,
                unit_id=user.unit_id,
            )
    except IntegrityError as exc:
        raise SurveyError(_("You have already answered this questionnaire.")) from exc
    for row in rows:
        row.response = response
    SurveyAnswer.objects.bulk_create(rows)
    return response


@transaction.atomic
def maturity_save(
    *,
    department: OrgUnit,
    fiscal_year: int,
    levels: dict[str, int],
    note: str = "",
    entered_by: User | None,
) -> MaturityAssessment:
    """Enter (or correct) a department's self-assessment for a fiscal year.

    One row per department and year; entering again in the same year replaces the levels.
    ``entered_by`` must be HR or a manager of the department (``None``: demo data and
    commands, which are trusted).
    """
    if entered_by is not None and not access.can_assess_department(entered_by, department):
        raise SurveyError(_("Only HR or the department's manager may enter this assessment."))
    if department.kind != "department":
        raise SurveyError(_("Assessments are made per department."))
    for axis in MaturityAssessment.AXES:
        if levels.get(axis) not in (1, 2, 3, 4, 5):
            raise SurveyError(_("Choose a level from 1 to 5 on each axis."))
    assessment, _created = MaturityAssessment.objects.update_or_create(
        department=department,
        fiscal_year=fiscal_year,
        defaults={
            **{axis: levels[axis] for axis in MaturityAssessment.AXES},
            "note": note.strip(),
            "entered_by": entered_by,
        },
    )
    return assessment
