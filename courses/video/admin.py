"""The CMS side of videos: the snippet (list with status, editor with a live status line) and
the hooks that queue the processing of a new upload."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, Panel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import Video
from .services import video_processing_request


class VideoStatusPanel(Panel):
    """The processing status of a saved video; ``video_status.js`` polls it until done."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/video_status_panel.html"

        class Media:
            js = ["courses/video_status.js"]

        def is_shown(self) -> bool:
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["video"] = self.instance
            return context


def _duration(video: Video) -> str:
    if not video.duration_seconds:
        return "—"
    minutes, seconds = divmod(round(video.duration_seconds), 60)
    return f"{minutes}:{seconds:02d}"


class VideoViewSet(SnippetViewSet):
    model = Video
    icon = "media"
    menu_label = _("Videos")
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        "title",
        Column("status", label=_("status"), accessor="get_status_display"),
        Column("duration", label=_("duration"), accessor=_duration),
        "updated_at",
    ]
    list_filter = ["status"]
    search_fields = ["title", "transcript"]
    ordering = ["-updated_at"]
    panels = [
        VideoStatusPanel(heading=_("Processing status")),
        FieldPanel("title"),
        FieldPanel("file"),
        FieldPanel("captions"),
        FieldPanel("transcript"),
    ]


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def queue_video_processing(request, instance) -> None:
    if isinstance(instance, Video):
        video_processing_request(video=instance, by=request.user)
