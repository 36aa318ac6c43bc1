"""Per-unit completion figures that the HR screens read instead of raw enrollments."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitCourseStats(models.Model):
    """Counts of one unit's enrollments in one course and fiscal year (each person's
    current cycle, for a course that recurs more than once a year: ``in_current_cycle``).

    Only the unit's own people are counted (not its subtree): a department's figure is the sum
    of the rows whose unit path starts with the department's path. An open enrollment counts
    in the person's current unit, a completed one in ``unit_at_completion``; withdrawn ones do
    not count. Kept current by a Celery task per changed enrollment, rebuilt by
    ``manage.py stats_rebuild`` and proven by ``manage.py stats_check``.
    """

    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    enrolled = models.PositiveIntegerField(_("enrolled"), default=0)
    not_started = models.PositiveIntegerField(_("not started"), default=0)
    in_progress = models.PositiveIntegerField(_("in progress"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    overdue = models.PositiveIntegerField(_("overdue"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("unit course figures")
        verbose_name_plural = _("unit course figures")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "course", "fiscal_year"], name="unitcoursestats_unique"
            )
        ]
        indexes = [models.Index(fields=["course", "fiscal_year"], name="unitcoursestats_course")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.course_id}/{self.fiscal_year}"

    FIGURES = ("enrolled", "not_started", "in_progress", "completed", "overdue")

    def figures(self) -> tuple[int, ...]:
        return tuple(getattr(self, name) for name in self.FIGURES)
