"""The organisation tree: 局 > 部 > 課 > 係."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from ..paths import ALPHABET, STEPLEN, ancestor_paths


class OrgUnitKind(models.TextChoices):
    BUREAU = "bureau", _("Bureau (局)")
    DEPARTMENT = "department", _("Department (部)")
    SECTION = "section", _("Section (課)")
    UNIT = "unit", _("Unit (係)")


class OrgUnitQuerySet(MP_NodeQuerySet):
    def current(self, on: dt.date | None = None) -> "OrgUnitQuerySet":
        """Units valid on ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)

    def subtree_of(self, unit: "OrgUnit") -> "OrgUnitQuerySet":
        """The unit and everything below it: one indexed prefix query on the path."""
        return self.filter(path__startswith=unit.path)


class OrgUnitManager(MP_NodeManager):
    def get_queryset(self) -> OrgUnitQuerySet:
        return OrgUnitQuerySet(self.model, using=self._db).order_by("path")

    def current(self, on: dt.date | None = None) -> OrgUnitQuerySet:
        return self.get_queryset().current(on)

    def subtree_of(self, unit: "OrgUnit") -> OrgUnitQuerySet:
        return self.get_queryset().subtree_of(unit)


class OrgUnit(MP_Node):
    """One node of a city's organisation: a bureau, department, section or unit.

    A materialised path (treebeard) makes "everything under this department" a single
    indexed ``path LIKE 'prefix%'`` query. Units are never deleted: a unit renamed, split or
    merged on April 1 gets ``valid_to`` and, where there is one, a ``successor``, so
    completions recorded against it keep their meaning in last year's reports.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=OrgUnitKind.choices)
    code = models.CharField(
        _("HR code"), max_length=32, blank=True, help_text=_("The code HR's system uses.")
    )
    name = models.CharField(_("name"), max_length=100)
    valid_from = models.DateField(_("valid from"), default=dt.date(2000, 4, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )

    # The path encoding is org.paths's (treebeard's defaults, stated once there).
    steplen = STEPLEN
    alphabet = ALPHABET
    # Siblings keep the order they were created in (HR's file order); screens sort by code.
    objects = OrgUnitManager()

    class Meta:
        db_table = "lms_orgunit"
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_to__isnull=True) & ~Q(code=""),
                name="orgunit_unique_current_code",
            ),
        ]
        indexes = [
            # treebeard's unique index on path cannot serve LIKE 'prefix%' under a
            # non-C collation on PostgreSQL; this one can. Other databases ignore opclasses.
            models.Index(
                fields=["path"], name="orgunit_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.valid_from <= today and (self.valid_to is None or self.valid_to >= today)

    def ancestors_and_self(self) -> list["OrgUnit"]:
        """Ancestors from the top down, then this unit: one query."""
        return list(OrgUnit.objects.filter(path__in=ancestor_paths(self.path)).order_by("depth"))

    def full_name(self) -> str:
        return " ".join(unit.name for unit in self.ancestors_and_self())
