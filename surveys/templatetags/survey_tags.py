"""Template tags that let the lms screens offer questionnaires without lms importing surveys."""

from django import template

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
