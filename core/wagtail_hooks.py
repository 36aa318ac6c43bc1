"""Wagtail admin of core: HR edits the notice templates (the signature is a setting)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .notices.models import NoticeTemplate


class NoticeTemplateViewSet(SnippetViewSet):
    """One template per kind of notice; the kinds are fixed by the data migration."""

    model = NoticeTemplate
    icon = "mail"
    menu_label = _("Notice templates")
    add_to_admin_menu = True
    menu_order = 910
    list_display = ["__str__", "subject_ja", "updated_at"]


register_snippet(NoticeTemplateViewSet)
