"""Wagtail admin of core: HR edits the notice templates (the signature is a setting), sees
them previewed with examples and sends a test to themselves."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .notices.models import NoticeTemplate
from .notices.views import notice_test_send_view


class NoticeTemplateViewSet(SnippetViewSet):
    """One template per kind of notice; the kinds are fixed by the data migration."""

    model = NoticeTemplate
    icon = "mail"
    menu_label = _("Notice templates")
    add_to_admin_menu = True
    menu_order = 910
    list_display = ["__str__", "subject_ja", "updated_at"]


register_snippet(NoticeTemplateViewSet)


@hooks.register("register_admin_urls")
def notice_admin_urls():
    """The test send of a template (HR, from its edit screen)."""
    return [path("notices/<int:pk>/test/", notice_test_send_view, name="notice_test_send")]
