"""DX execution plans (DX実行計画): what an approved worksheet turns into.

One HOW idea of an approved worksheet can become one plan: the purpose, the problem events
behind it, a target (a KPI with its current and target value, due by a fiscal-year quarter),
ordered steps, an owner and a status the DX PRO and the DX office follow. The plan keeps a
copy of the idea it came from, so it still reads right if next year's worksheet differs.
Who may see or change a plan is ``lms`` knowledge (``courses.plans.selectors``): a plan refers to
people only through ``AUTH_USER_MODEL``, and to units only through its worksheet's author.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .svo import SvoStatement, SvoWorksheet


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_PROGRESS = "in_progress", _("Under way")
    DONE = "done", _("Done")
    ON_HOLD = "on_hold", _("On hold")


class Quarter(models.IntegerChoices):
    Q1 = 1, _("Q1 (April-June)")
    Q2 = 2, _("Q2 (July-September)")
    Q3 = 3, _("Q3 (October-December)")
    Q4 = 4, _("Q4 (January-March)")


class DxPlan(models.Model):
    """A DX execution plan grown from one improvement idea of an approved worksheet."""

    worksheet = models.ForeignKey(SvoWorksheet, on_delete=models.PROTECT, related_name="plans")
    #: The statement whose HOW idea the plan carries out (kept null if it is later removed).
    statement = models.ForeignKey(
        SvoStatement, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    source_idea = models.TextField(_("improvement idea"), blank=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    problem_events = models.TextField(_("problem events"))
    kpi = models.CharField(_("KPI"), max_length=200)
    kpi_unit = models.CharField(_("unit of the KPI"), max_length=40, blank=True)
    current_value = models.DecimalField(_("current value"), max_digits=14, decimal_places=2)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    deadline_fiscal_year = models.PositiveSmallIntegerField(_("deadline: fiscal year"))
    deadline_quarter = models.PositiveSmallIntegerField(
        _("deadline: quarter"), choices=Quarter.choices
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dx_plans_owned",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dx_plans_created"
    )
    #: Grows with every save: an edit made from an older copy (another tab, the other
    #: editor) is refused instead of silently overwriting.
    lock_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("DX execution plan")
        verbose_name_plural = _("DX execution plans")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement"],
                condition=models.Q(statement__isnull=False),
                name="courses_dxplan_one_per_idea",
            ),
            models.CheckConstraint(
                condition=models.Q(deadline_quarter__gte=1, deadline_quarter__lte=4),
                name="courses_dxplan_quarter_1_to_4",
            ),
        ]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def deadline_label(self) -> str:
        return f"FY{self.deadline_fiscal_year} Q{self.deadline_quarter}"


class DxPlanStep(models.Model):
    """One step of a plan, in order."""

    plan = models.ForeignKey(DxPlan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("step"), max_length=300)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.text
