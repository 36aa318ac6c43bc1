"""The lms app, and Wagtail's user admin adapted to staff members."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class LmsConfig(AppConfig):
    """Staff and their training: assignments and enrolment, completion and the per-unit
    figures, my training, certificates, reminders and HR's reports."""

    default = True
    name = "lms"
    verbose_name = _("Training management")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.targets import register

        from .accounts import (
            ldap,  # noqa: F401  (the directory settings' system checks)
            oidc,  # noqa: F401  (the system check of its settings)
            throttle,  # noqa: F401  (counts failed sign-ins per address)
        )
        from .audit_targets import describe_assignments
        from .completion import receivers  # noqa: F401  (the course and roster events)
        from .my_training import cache  # noqa: F401  (what keeps "my training" fresh)

        register("lms.assignment", _("Course assignment"), describe_assignments)


class StaffUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms that know our staff fields (no first/last name)."""

    user_viewset = "lms.accounts.admin_viewsets.StaffUserViewSet"
