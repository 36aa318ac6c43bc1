"""SVO worksheets: who reviews them (the DX PRO of the author's unit, else HR), who reads
them (managers of the author's units) and who marks essay answers.

Part of ``org.access`` (its docstring states the rules); import from there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from core.fiscal import current_fiscal_year

from ..models import DxProAssignment
from ..paths import ancestor_paths, is_under, minimal_paths, under
from .people import manages
from .roles import _signed_in, _via, dx_pro_unit_paths, is_dx_pro, is_hr, managed_unit_paths, memo

User = get_user_model()

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def is_dx_pro_of(
    viewer: User | AnonymousUser | None, person: User, *, fiscal_year: int | None = None
) -> bool:
    """Is ``viewer`` a DX PRO appointed over ``person``'s unit for the year (not themselves)?"""
    if not _signed_in(viewer) or viewer.pk == person.pk or person.unit_id is None:
        return False
    return is_under(person.unit.path, dx_pro_unit_paths(viewer, fiscal_year=fiscal_year))


def _covered_paths(fiscal_year: int) -> list[str]:
    """Units some active DX PRO is appointed to this year (shared by the whole request): a
    unit whose only DX PRO has left is HR's to review again."""
    return minimal_paths(
        DxProAssignment.objects.filter(fiscal_year=fiscal_year, user__is_active=True)
        .values_list("unit__path", flat=True)
        .distinct()
    )


def can_review_worksheets_of(
    viewer: User | AnonymousUser | None, person: User, *, fiscal_year: int | None = None
) -> bool:
    """May ``viewer`` review ``person``'s worksheets: a DX PRO of the person's unit, or HR
    where no DX PRO is appointed over it; never one's own."""
    if not _signed_in(viewer) or viewer.pk == person.pk:
        return False
    if is_dx_pro_of(viewer, person, fiscal_year=fiscal_year):
        return True
    if not is_hr(viewer):
        return False
    year = fiscal_year or current_fiscal_year()
    return person.unit_id is None or not is_under(
        person.unit.path, memo(viewer, f"covered:{year}", lambda: _covered_paths(year))
    )


def reviewable(
    viewer: User | AnonymousUser | None, *, author: str = "user", fiscal_year: int | None = None
) -> Q:
    """``can_review_worksheets_of`` as a condition on rows whose ``author`` field is the
    person (``SvoWorksheet.objects.filter(access.reviewable(viewer))``; ``author=""`` on the
    people themselves)."""
    if not _signed_in(viewer):
        return Q(pk__in=[])
    year = fiscal_year or current_fiscal_year()
    unit_path = _via(author, "unit__path")
    scope = under(unit_path, dx_pro_unit_paths(viewer, fiscal_year=year))
    if is_hr(viewer):
        covered = memo(viewer, f"covered:{year}", lambda: _covered_paths(year))
        # ``under([])`` matches nobody, so with no DX PRO appointed (every April) HR's
        # scope is everyone, as ``can_review_worksheets_of`` says.
        scope |= ~under(unit_path, covered) | Q(**{_via(author, "unit__isnull"): True})
    return scope & ~Q(**{author or "pk": viewer.pk})


def can_read_worksheets_of(
    viewer: User | AnonymousUser | None, author: User, *, fiscal_year: int | None = None
) -> bool:
    """May ``viewer`` read ``author``'s submitted worksheets on the review screen: whoever
    reviews them, and a manager of the author's unit (read-only unless also their DX PRO).
    Never one's own there (the author has their editor); a draft is nobody else's to read
    (``readable`` and the selectors leave drafts out)."""
    if not _signed_in(viewer) or viewer.pk == author.pk:
        return False
    if can_review_worksheets_of(viewer, author, fiscal_year=fiscal_year):
        return True
    return author.unit_id is not None and manages(viewer, author.unit)


def in_managed_units(viewer: User | AnonymousUser | None, *, author: str = "user") -> Q:
    """Rows whose ``author`` field is a person of the units ``viewer`` manages (their
    「担当の所属」), never ``viewer`` themselves."""
    if not _signed_in(viewer):
        return Q(pk__in=[])
    return under(_via(author, "unit__path"), managed_unit_paths(viewer)) & ~Q(
        **{author or "pk": viewer.pk}
    )


def readable(
    viewer: User | AnonymousUser | None, *, author: str = "user", fiscal_year: int | None = None
) -> Q:
    """``can_read_worksheets_of`` as a condition on rows whose ``author`` field is the
    person: ``reviewable`` and the people of the units ``viewer`` manages."""
    if not _signed_in(viewer):
        return Q(pk__in=[])
    return reviewable(viewer, author=author, fiscal_year=fiscal_year) | in_managed_units(
        viewer, author=author
    )


def reviewers_of(person: User, *, fiscal_year: int | None = None) -> QuerySet[User]:
    """The active DX PROs appointed over ``person``'s unit for the year (one query): who
    reviews their worksheets and may own the plans grown from them."""
    if person.unit_id is None:
        return User.objects.none()
    year = fiscal_year or current_fiscal_year()
    return User.objects.filter(
        is_active=True,
        pk__in=DxProAssignment.objects.filter(
            fiscal_year=year, unit__path__in=ancestor_paths(person.unit.path)
        ).values("user_id"),
    ).exclude(pk=person.pk)


def markable(viewer: User | AnonymousUser | None, *, chosen: Q, author: str = "user") -> Q:
    """Essay markers of ``author``: a quiz's chosen (``chosen``), and ``reviewable``; not self."""
    if not _signed_in(viewer):
        return Q(pk__in=[])
    scope = chosen | reviewable(viewer, author=author)
    return scope & ~Q(**{author or "pk": viewer.pk})


def sees_review_queue(viewer: User | AnonymousUser | None) -> bool:
    """HR and DX PROs review worksheets and have the queue in their menu; a manager reads
    theirs from the list of their units' worksheets."""
    return is_hr(viewer) or is_dx_pro(viewer)
