"""Who reviews which SVO worksheets, and the review queue.

A DX PRO reviews the submitted worksheets of people under the units they are appointed to
for the fiscal year (``access.dx_pro_unit_paths``). A worksheet whose author sits in a unit
that no DX PRO covers goes to HR / the DX office instead. Nobody reviews their own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet

from core.fiscal import current_fiscal_year
from courses.models import SvoWorksheet, WorksheetStatus
from org import access
from org.models import DxProAssignment

from .models import User


def _covered_paths(fiscal_year: int) -> list[str]:
    return list(
        DxProAssignment.objects.filter(fiscal_year=fiscal_year)
        .values_list("unit__path", flat=True)
        .distinct()
    )


def _under(paths: list[str]) -> Q:
    return reduce(or_, (Q(user__unit__path__startswith=path) for path in paths))


def reviewable_worksheets(viewer: User, *, fiscal_year: int | None = None) -> QuerySet:
    """Worksheets ``viewer`` may review (any status), never their own."""
    year = fiscal_year or current_fiscal_year()
    scope = Q(pk__in=[])
    paths = access.dx_pro_unit_paths(viewer, fiscal_year=year)
    if paths:
        scope |= _under(paths)
    if access.is_hr(viewer):
        covered = _covered_paths(year)
        uncovered = ~_under(covered) if covered else Q()
        scope |= uncovered | Q(user__unit__isnull=True)
    return SvoWorksheet.objects.filter(scope).exclude(user_id=viewer.pk)


def may_review(viewer: User, worksheet: SvoWorksheet) -> bool:
    return reviewable_worksheets(viewer).filter(pk=worksheet.pk).exists()


#: How many approved worksheets the queue lists, for turning their ideas into plans.
RECENTLY_APPROVED = 10


@dataclass
class ReviewQueue:
    waiting: list[SvoWorksheet]
    per_unit: list[tuple[str, int]]
    decided_count: int
    recently_approved: list[SvoWorksheet] = field(default_factory=list)


def review_queue(viewer: User) -> ReviewQueue:
    """Submitted worksheets oldest first, with counts per unit, and the latest approved
    ones with how many plans they became (three queries)."""
    worksheets = reviewable_worksheets(viewer)
    waiting = list(
        worksheets.filter(status=WorksheetStatus.SUBMITTED)
        .select_related("user__unit", "exercise")
        .order_by("submitted_at", "pk")
    )
    per_unit = Counter(w.user.unit.name if w.user.unit_id else "-" for w in waiting)
    decided = worksheets.filter(
        status__in=[WorksheetStatus.RETURNED, WorksheetStatus.APPROVED]
    ).count()
    recently_approved = list(
        worksheets.filter(status=WorksheetStatus.APPROVED)
        .select_related("user__unit", "exercise")
        .annotate(plan_count=Count("plans", distinct=True))
        .order_by("-decided_at", "-pk")[:RECENTLY_APPROVED]
    )
    return ReviewQueue(
        waiting=waiting,
        per_unit=sorted(per_unit.items()),
        decided_count=decided,
        recently_approved=recently_approved,
    )
