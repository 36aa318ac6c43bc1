"""The courses app: course pages, quizzes, worksheets and plans."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Course pages, the question bank, quizzes and grading, SVO worksheets and their review,
    DX execution plans."""

    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401 - connects the receivers
