from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class LmsConfig(AppConfig):
    """People, organisation, roles, roster import, assignments and completion tracking."""

    default = True
    name = "lms"
    verbose_name = _("Training management")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (
            caching,  # noqa: F401  (connects what keeps "my training" fresh)
            checks,  # noqa: F401  (registers the system checks)
            receivers,  # noqa: F401  (connects the course and roster events)
        )


class StaffUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms that know our staff fields (no first/last name)."""

    user_viewset = "lms.admin_viewsets.StaffUserViewSet"
