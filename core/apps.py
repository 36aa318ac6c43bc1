"""The core app: it owns one table, the record of work queued after a commit, and the
system checks of the settings every app relies on."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks of the settings)
        from .notices import checks as notice_checks  # noqa: F401  (the chat channels')
