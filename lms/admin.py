"""Django admin (superusers only): a fallback for data the product screens do not edit."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class StaffUserAdmin(DjangoUserAdmin):
    ordering = ["employee_number"]
    list_display = ["employee_number", "display_name", "unit", "position", "is_active"]
    list_filter = ["is_active", "employment_type", "position", "is_superuser"]
    search_fields = ["employee_number", "display_name", "kana", "email"]
    raw_id_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["employee_number", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "display_name",
                    "kana",
                    "email",
                    "unit",
                    "position",
                    "employment_type",
                    "language",
                ]
            },
        ),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "deactivated_at"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["employee_number", "display_name", "password1", "password2"]}),
    ]
