"""Admin registration: the question bank as snippets, with import and export screens."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Question, QuestionCategory
from .video.admin import VideoViewSet


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    # The first column (linked to the editor) is what the question asks, not its short name.
    list_display = ["__str__", "name", "qtype", "category", "points", "updated_at"]
    list_filter = ["qtype", "category"]
    search_fields = ["name", "text"]
    ordering = ["category__name", "name"]


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = ["name", "description"]


class QuestionBankGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, QuestionCategoryViewSet)
    menu_icon = "help"
    menu_label = _("Question bank")
    menu_name = "question_bank"


register_snippet(QuestionBankGroup)


@hooks.register("register_admin_urls")
def register_question_bank_urls():
    return [
        path("question-bank/import/", admin_views.question_import, name="courses_question_import"),
        path(
            "question-bank/export.gift",
            admin_views.question_export,
            name="courses_question_export",
        ),
        path(
            "question-bank/export.xml",
            admin_views.question_export_moodle_xml,
            name="courses_question_export_moodle_xml",
        ),
    ]


class _PermittedMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("courses.add_question")


@hooks.register("register_admin_menu_item")
def register_question_import_menu_item():
    return _PermittedMenuItem(
        _("Import questions"),
        reverse("courses_question_import"),
        name="question-import",
        icon_name="download",
        order=310,
    )


# Videos: the snippet and the hooks that queue an upload's processing (courses/video/admin.py).
register_snippet(VideoViewSet)
