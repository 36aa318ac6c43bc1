"""Wagtail admin: HR appoints DX PROs and managers, and finds the roster from the CMS."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import access
from .models import DxProAssignment, ManagerAssignment


class DxProAssignmentViewSet(SnippetViewSet):
    model = DxProAssignment
    icon = "user"
    menu_label = _("DX PROs")
    list_display = ["user", "unit", "fiscal_year", "created_at"]
    list_filter = ["fiscal_year"]
    search_fields = ["user__display_name", "user__employee_number", "unit__name"]
    panels = [FieldPanel("user"), FieldPanel("unit"), FieldPanel("fiscal_year")]


class ManagerAssignmentViewSet(SnippetViewSet):
    model = ManagerAssignment
    icon = "group"
    menu_label = _("Managers")
    list_display = ["user", "unit", "created_at"]
    search_fields = ["user__display_name", "user__employee_number", "unit__name"]
    panels = [FieldPanel("user"), FieldPanel("unit")]


class RolesViewSetGroup(SnippetViewSetGroup):
    items = (DxProAssignmentViewSet, ManagerAssignmentViewSet)
    menu_icon = "group"
    menu_label = _("Roles")
    menu_name = "roles"


register_snippet(RolesViewSetGroup)


class HrMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_hr(request.user)


@hooks.register("register_admin_menu_item")
def register_roster_menu_item():
    return HrMenuItem(_("Roster"), reverse("org:roster"), icon_name="list-ul", order=900)
