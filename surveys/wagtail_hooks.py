"""CMS registration: HR edits the questionnaires as snippets, items in order."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Questionnaire


class QuestionnaireViewSet(SnippetViewSet):
    model = Questionnaire
    icon = "list-ul"
    menu_label = _("Questionnaires")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["title", "course", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["title"]


register_snippet(QuestionnaireViewSet)
