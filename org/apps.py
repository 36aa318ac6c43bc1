"""The organisation app: who is where (units, people's places), who may see whom, the roster."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    """Units (部/課/係), roles, the roster import and the one access module (``org.access``)."""

    name = "org"
    verbose_name = _("Organisation")
    default_auto_field = "django.db.models.BigAutoField"
