"""Template tags that let the lms and course screens offer questionnaires without those apps
importing surveys."""

from django import template

from core.fiscal import current_fiscal_year
from lms.models import Enrollment, EnrollmentStatus

from ..selectors import survey_offers as survey_offers_selector

register = template.Library()


@register.simple_tag(takes_context=True)
def survey_offers(context, enrollments) -> dict:
    """Questionnaires to offer on the page, by enrollment id (two queries at most)."""
    return survey_offers_selector(user=context["request"].user, enrollments=enrollments)


@register.filter
def offer_for(offers: dict, enrollment_pk: int):
    """The questionnaire offered for one enrollment, or ``None``."""
    return offers.get(enrollment_pk) if offers else None


@register.inclusion_tag("surveys/includes/course_completed.html", takes_context=True)
def course_completed(context, course) -> dict:
    """On a course's page: "you completed this course", with the certificate and, until it is
    answered, the course's questionnaire (nothing for anyone who has not completed it this
    fiscal year; three queries at most)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"enrollment": None}
    enrollment = (
        Enrollment.objects.filter(
            user_id=user.pk,
            course_id=course.pk,
            fiscal_year=current_fiscal_year(),
            status=EnrollmentStatus.COMPLETED,
        )
        .only("pk", "course_id", "fiscal_year", "status", "completed_at")
        .first()
    )
    if enrollment is None:
        return {"enrollment": None}
    offers = survey_offers_selector(user=user, enrollments=[enrollment])
    return {
        "enrollment": enrollment,
        "course": course,
        "questionnaire": offers.get(enrollment.pk),
    }
