"""Django admin (superusers only) for the organisation: a fallback the product screens do not
replace for mending a unit or reading an import."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import DxProAssignment, ManagerAssignment, OrgUnit, RosterImport


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeAdmin):
    form = movenodeform_factory(OrgUnit)
    list_display = ["name", "kind", "code", "valid_from", "valid_to"]
    search_fields = ["name", "code"]


@admin.register(DxProAssignment)
class DxProAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "fiscal_year"]
    list_filter = ["fiscal_year"]
    raw_id_fields = ["user", "unit"]


@admin.register(ManagerAssignment)
class ManagerAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "unit"]
    raw_id_fields = ["user", "unit"]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    """Imports are an audit record: readable, never edited."""

    list_display = [
        "file_name",
        "uploaded_by",
        "created_at",
        "status",
        "created_count",
        "updated_count",
        "deactivated_count",
    ]
    list_filter = ["status"]
    # The file is private (core.storage): no media URL, only the download view that checks
    # who asks. The list of people to deactivate is shown on HR's page.
    exclude = ["file", "deactivated_ids"]
    readonly_fields = ["uploaded_file"]

    @admin.display(description=_("file"))
    def uploaded_file(self, obj: RosterImport) -> str:
        if not obj.file:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', reverse("org:roster_import_file", args=[obj.pk]), obj.file_name
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
