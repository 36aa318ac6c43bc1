"""Wagtail hooks of lms: what it adds to the pages of the apps below it (the course page),
the year a learner's work counts for, the chat channels of their notices, and HR's screen
of the units' Teams channels."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .enrolment.cycles import open_training_period
from .models import UnitTeamsChannel
from .my_training.panels import course_completed_panel
from .notices.delivery import notice_deliver

hooks.register("course_page_panels", course_completed_panel)
# A learner's reads, attempts and worksheets count for their open enrolment's year
# (courses.years): a renewal opened in March for April is done in March.
hooks.register("course_training_year", open_training_period)
# Notices of the apps below (a review decision) reach people by their chat channel too.
hooks.register("deliver_notice", notice_deliver)


class UnitTeamsChannelViewSet(SnippetViewSet):
    """HR pastes each unit's Teams Workflows webhook here (reminders go to that channel when
    ``TEAMS_ENABLED``); the HR group holds the model's permissions (lms/0013)."""

    model = UnitTeamsChannel
    icon = "comment"
    menu_label = _("Teams channels")
    add_to_admin_menu = True
    menu_order = 920
    list_display = ["unit", "active", "updated_at"]
    search_fields = ["unit__name", "unit__code"]
    panels = [FieldPanel("unit"), FieldPanel("webhook_url"), FieldPanel("active")]


register_snippet(UnitTeamsChannelViewSet)
