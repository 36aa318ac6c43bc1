"""Wagtail hooks: HR edits the questionnaires as snippets (items in order), and the surveys
add themselves to the pages of the apps below (My training, the course page, HR's
dashboard) through the hooks those apps offer, so none of them knows the surveys app."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lms.my_training.panels import (
    COMPLETED_HOOK,
    COURSE_COMPLETED_HOOK,
    DASHBOARD_LINKS_HOOK,
    Extras,
)

from .models import Questionnaire
from .selectors import survey_offers


class QuestionnaireViewSet(SnippetViewSet):
    model = Questionnaire
    icon = "list-ul"
    menu_label = gettext_lazy("Questionnaires")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["title", "course", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["title"]


register_snippet(QuestionnaireViewSet)


@hooks.register(COMPLETED_HOOK)
def questionnaire_offers(request, enrollments) -> Extras | None:
    """On My training: the questionnaires still to answer for the completed courses."""
    offers = survey_offers(user=request.user, enrollments=enrollments)
    if not offers:
        return None
    offered = [enrollment for enrollment in enrollments if enrollment.pk in offers]
    panel = render_to_string(
        "surveys/includes/my_training_offers.html", {"enrollments": offered}, request
    )
    label = _("Questionnaire (optional)")
    return Extras(
        panel=panel,
        links={e.pk: [(reverse("surveys:answer", args=[e.pk]), label)] for e in offered},
    )


@hooks.register(COURSE_COMPLETED_HOOK)
def course_questionnaire(request, enrollment, course) -> str:
    """On a course's page, under "you have completed this course": its questionnaire, until
    it is answered."""
    questionnaire = survey_offers(user=request.user, enrollments=[enrollment]).get(enrollment.pk)
    if questionnaire is None:
        return ""
    return render_to_string(
        "surveys/includes/course_completed.html", {"enrollment": enrollment}, request
    )


@hooks.register(DASHBOARD_LINKS_HOOK)
def survey_reports(request, fiscal_year) -> list[tuple[str, str]]:
    return [
        (f"{reverse('surveys:results')}?year={fiscal_year}", _("Questionnaire results")),
        (reverse("surveys:maturity"), _("Digital maturity")),
    ]
