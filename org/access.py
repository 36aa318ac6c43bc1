"""Who may see whose data: the one place that answers it.

Every view, selector and report that shows a person's records asks this module. The rules:

- everyone sees themselves;
- HR (the ``HR`` group) and superusers see everyone;
- a manager sees everyone under the units they manage: the unit they sit in when their
  position is a manager position (部長, 課長 ...), plus any explicit ``ManagerAssignment``;
- a DX PRO sees everyone under the units they are appointed to for the fiscal year;
- content editors and everyone else see nobody but themselves.

Scopes are turned into a handful of path prefixes so that "people I may see" stays one
indexed query, whatever the size of the city.
"""

from __future__ import annotations

from functools import reduce, wraps
from operator import or_
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext

from core.fiscal import current_fiscal_year

from .models import DxProAssignment, ManagerAssignment, OrgUnit, RoleGroup
from .people import MANAGER_POSITIONS

User = get_user_model()

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def _group_names(user: User) -> set[str]:
    # Cached on the instance: the header asks on every page.
    if not hasattr(user, "_lms_group_names"):
        user._lms_group_names = set(user.groups.values_list("name", flat=True))
    return user._lms_group_names


def is_hr(user: User | AnonymousUser) -> bool:
    """HR and the DX office see and manage the whole organisation."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or RoleGroup.HR in _group_names(user)


def is_editor(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool({RoleGroup.EDITORS, RoleGroup.MODERATORS} & _group_names(user))


def _minimal_paths(paths: set[str]) -> list[str]:
    """Drop paths already covered by a shorter prefix in the set."""
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return kept


def _cached(user: User, key: str, compute):
    """Remember a scope on the user object: one request asks several times."""
    cache = user.__dict__.setdefault("_lms_access_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def managed_unit_paths(user: User) -> list[str]:
    """Path prefixes of the subtrees the user manages."""
    if not user.is_authenticated or not user.is_active:
        return []
    return _cached(user, "managed", lambda: _managed_unit_paths(user))


def _managed_unit_paths(user: User) -> list[str]:
    paths = set(ManagerAssignment.objects.filter(user=user).values_list("unit__path", flat=True))
    if user.position in MANAGER_POSITIONS and user.unit_id is not None:
        paths.add(user.unit.path)
    return _minimal_paths(paths)


def dx_pro_unit_paths(user: User, *, fiscal_year: int | None = None) -> list[str]:
    """Path prefixes of the subtrees the user reviews as DX PRO in the fiscal year."""
    if not user.is_authenticated or not user.is_active:
        return []
    year = fiscal_year or current_fiscal_year()
    return _cached(
        user,
        f"dx_pro:{year}",
        lambda: _minimal_paths(
            set(
                DxProAssignment.objects.filter(user=user, fiscal_year=year).values_list(
                    "unit__path", flat=True
                )
            )
        ),
    )


def is_dx_pro(user: User, *, fiscal_year: int | None = None) -> bool:
    return bool(dx_pro_unit_paths(user, fiscal_year=fiscal_year))


def is_manager(user: User) -> bool:
    return bool(managed_unit_paths(user))


def can_browse_roster(user: User | AnonymousUser) -> bool:
    """HR, managers and DX PROs may open the roster (each sees their own scope)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_hr(user) or is_manager(user) or is_dx_pro(user)


def _scope_paths(user: User, fiscal_year: int | None) -> list[str]:
    return _minimal_paths(
        set(managed_unit_paths(user)) | set(dx_pro_unit_paths(user, fiscal_year=fiscal_year))
    )


def visible_people(
    viewer: User | AnonymousUser, *, fiscal_year: int | None = None
) -> QuerySet[User]:
    """Every person whose training data ``viewer`` may see, as one query."""
    people = User.objects.all()
    if not viewer.is_authenticated or not viewer.is_active:
        return people.none()
    if is_hr(viewer):
        return people
    paths = _scope_paths(viewer, fiscal_year)
    condition = Q(pk=viewer.pk)
    if paths:
        condition |= reduce(or_, (Q(unit__path__startswith=path) for path in paths))
    return people.filter(condition)


def visible_units(
    viewer: User | AnonymousUser, *, fiscal_year: int | None = None
) -> QuerySet[OrgUnit]:
    """Units whose figures ``viewer`` may see (the whole tree for HR)."""
    if not viewer.is_authenticated or not viewer.is_active:
        return OrgUnit.objects.none()
    if is_hr(viewer):
        return OrgUnit.objects.all()
    paths = _scope_paths(viewer, fiscal_year)
    if not paths:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(reduce(or_, (Q(path__startswith=path) for path in paths)))


def can_view_person(
    viewer: User | AnonymousUser, person: User, *, fiscal_year: int | None = None
) -> bool:
    """May ``viewer`` see ``person``'s training records?"""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    if viewer.pk == person.pk or is_hr(viewer):
        return True
    if person.unit_id is None:
        return False
    unit_path = person.unit.path
    return any(unit_path.startswith(path) for path in _scope_paths(viewer, fiscal_year))


def can_review_worksheets_of(viewer: User, person: User, *, fiscal_year: int | None = None) -> bool:
    """Only a DX PRO of the person's unit for the year reviews their worksheets (not oneself)."""
    if not viewer.is_authenticated or viewer.pk == person.pk or person.unit_id is None:
        return False
    unit_path = person.unit.path
    return any(
        unit_path.startswith(path) for path in dx_pro_unit_paths(viewer, fiscal_year=fiscal_year)
    )


def role_labels(user: User) -> list[str]:
    """Short labels of the roles a signed-in user holds, for the page header."""
    if not user.is_authenticated:
        return []
    labels: list[str] = []
    if user.is_superuser:
        labels.append(gettext("Administrator"))
    if RoleGroup.HR in _group_names(user):
        labels.append(gettext("HR"))
    if {RoleGroup.EDITORS, RoleGroup.MODERATORS} & _group_names(user):
        labels.append(gettext("Editor"))
    if is_manager(user):
        labels.append(gettext("Manager"))
    if is_dx_pro(user):
        labels.append(gettext("DX PRO"))
    if not labels:
        labels.append(gettext("Staff"))
    return labels


def hr_required(view):
    """Signed in (else the login page) and HR (else 403)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not is_hr(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
