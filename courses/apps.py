from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Course pages, the question bank, quiz attempts and grading."""

    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401 - connects the receivers

        self._allow_course_index_under_home()

    @staticmethod
    def _allow_course_index_under_home() -> None:
        """Let editors add the course index under the home page.

        The home page belongs to ``content``, which knows nothing of courses; courses may use
        content, so courses adds itself to the home page's allowed children here.
        """
        from content.models import HomePage

        allowed = list(HomePage.subpage_types or [])
        if "courses.CourseIndexPage" not in allowed:
            HomePage.subpage_types = [*allowed, "courses.CourseIndexPage"]
