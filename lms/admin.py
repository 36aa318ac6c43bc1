"""Django admin (superusers only): a fallback for data the product screens do not edit."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import DxProAssignment, ManagerAssignment, OrgUnit, RosterImport, User


@admin.register(User)
class StaffUserAdmin(DjangoUserAdmin):
    ordering = ["employee_number"]
    list_display = ["employee_number", "display_name", "unit", "position", "is_active"]
    list_filter = ["is_active", "employment_type", "position", "is_superuser"]
    search_fields = ["employee_number", "display_name", "kana", "email"]
    raw_id_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["employee_number", "password"]}),
        (_("Profile"), {"fields": ["display_name", "kana", "email", "unit", "position",
                                   "employment_type"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "deactivated_at"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["employee_number", "display_name", "password1", "password2"]}),
    ]


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

    list_display = ["file_name", "uploaded_by", "created_at", "status", "created_count",
                    "updated_count", "deactivated_count"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
