"""How the audit log names lms's rows (registered in ``LmsConfig.ready``, which imports this
module; the activation issues register themselves below)."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.targets import register

from .models import ActivationIssue, Assignment


def describe_assignments(ids: list[str]) -> dict[str, str]:
    """「DX基礎研修（市民課・税務課）」: the course and the units it was given to, one query."""
    course_of: dict[int, str] = {}
    units_of: dict[int, list[str]] = defaultdict(list)
    rows = (
        Assignment.objects.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()])
        .order_by("pk", "units__path")
        .values_list("pk", "course__title", "units__name")
    )
    for pk, course, unit in rows:
        course_of[pk] = course
        if unit:
            units_of[pk].append(unit)
    separator = gettext(", ")
    return {
        str(pk): gettext("%(course)s (%(units)s)")
        % {"course": course, "units": separator.join(units_of[pk])}
        if units_of[pk]
        else course
        for pk, course in course_of.items()
    }


def describe_activation_issues(ids: list[str]) -> dict[str, str]:
    """「市民課（45人）」 or 「職員番号の一覧（3人）」: what a sheet of slips was for, one query."""
    rows = ActivationIssue.objects.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()])
    return {
        str(pk): gettext("%(unit)s (%(count)d people)")
        % {"unit": unit or gettext("A list of employee numbers"), "count": count}
        for pk, unit, count in rows.values_list("pk", "unit__name", "people_count")
    }


register("lms.activationissue", _("Activation slips"), describe_activation_issues)
