"""Admin registrations of the content app."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CityVocabulary, GlossaryTerm


class GlossaryTermViewSet(SnippetViewSet):
    """Editors maintain the glossary that chapters' key-term blocks link to."""

    model = GlossaryTerm
    icon = "tag"
    menu_label = _("Glossary")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["term", "reading", "term_en"]
    search_fields = ["term", "reading", "definition"]
    ordering = ["reading", "term"]


register_snippet(GlossaryTermViewSet)


class CityVocabularyViewSet(SnippetViewSet):
    """Editors keep the words staff search with (ハンコ = 押印 = 印鑑) next to the glossary."""

    model = CityVocabulary
    icon = "search"
    menu_label = _("Search vocabulary")
    menu_order = 251
    add_to_admin_menu = True
    list_display = ["__str__", "note", "updated_at"]
    search_fields = ["terms", "note"]
    ordering = ["pk"]


register_snippet(CityVocabularyViewSet)
