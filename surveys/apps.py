"""The surveys app: questionnaires after a course and the digital-maturity self-assessment."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """On top of lms: it adds its questionnaires to lms's pages through hooks."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (keeps My training's questionnaires current)
