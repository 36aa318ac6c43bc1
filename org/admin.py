"""Django admin (superusers only) for the organisation: a fallback the product screens do not
replace for mending a unit or reading an import."""

from django.contrib import admin
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
