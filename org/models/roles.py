"""Scoped roles: DX PROs per unit and fiscal year, managers per unit, and the named groups."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleGroup(models.TextChoices):
    """Django groups that carry city-wide roles. Created by a data migration."""

    HR = "HR", _("HR / DX office")
    EDITORS = "Editors", _("Content editors")
    MODERATORS = "Moderators", _("Content reviewers")
    #: Approves guidebook changes in the workflow of the same name (DX office staff).
    REVIEWERS = "DX推進課レビュー", _("DX office reviewers")


class DxProAssignment(models.Model):
    """A DX PRO (DX推進リーダー) appointed for a unit for one fiscal year.

    The DX PRO reviews the worksheets of everyone under ``unit``. Appointments are per fiscal
    year because cities appoint for a term and keep the role across a transfer: the unit here is
    where the person leads, which need not be where they now sit.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("DX PRO"),
        on_delete=models.CASCADE,
        related_name="dx_pro_assignments",
    )
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="dx_pro_assignments",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "lms_dxproassignment"
        verbose_name = _("DX PRO assignment")
        verbose_name_plural = _("DX PRO assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "fiscal_year"], name="dxpro_unique_user_unit_year"
            )
        ]
        indexes = [models.Index(fields=["fiscal_year", "unit"], name="dxpro_year_unit")]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit} ({self.fiscal_year})"


class ManagerAssignment(models.Model):
    """An explicit manager for a unit, on top of the manager positions (部長, 課長 ...).

    Used where the head of a unit is not in it on the roster, or for an acting head.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.CASCADE,
        related_name="manager_assignments",
    )
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="manager_assignments",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "lms_managerassignment"
        verbose_name = _("manager assignment")
        verbose_name_plural = _("manager assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="manager_unique_user_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit}"
