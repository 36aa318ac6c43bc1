"""The content app: the guidebook, its glossary and search."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Guidebook")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import signal_handlers  # noqa: F401 - connects the receivers
        from .sites import follow_site_url_after_migrate

        post_migrate.connect(
            follow_site_url_after_migrate, sender=self, dispatch_uid="content.site_follows_url"
        )
