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
        from audit.targets import register

        from . import signal_handlers  # noqa: F401 - connects the receivers
        from .audit_targets import describe_courses, describe_worksheets
        from .models.scorm import ScormLessonPage
        from .scorm.forms import ScormLessonPageForm

        register("courses.coursepage", _("Course"), describe_courses)
        register("courses.svoworksheet", _("SVO worksheet"), describe_worksheets)
        # The SCORM lesson's form uploads through the services, which need the models.
        ScormLessonPage.base_form_class = ScormLessonPageForm
