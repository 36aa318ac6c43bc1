"""Who sees which people and units, and who may act on them: the people list and its
exports, reminders, roster files, first sign-in codes, one's own language.

Part of ``org.access`` (its docstring states the rules); import from there.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from ..models import OrgUnit, OrgUnitKind
from ..paths import is_under, minimal_paths, under
from .roles import (
    _signed_in,
    _via,
    dx_pro_unit_paths,
    is_dx_pro,
    is_hr,
    is_manager,
    managed_unit_paths,
)

User = get_user_model()

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def _scope_paths(user: User, fiscal_year: int | None) -> list[str]:
    return minimal_paths(
        [*managed_unit_paths(user), *dx_pro_unit_paths(user, fiscal_year=fiscal_year)]
    )


def can_view_units(user: User | AnonymousUser | None, *, fiscal_year: int | None = None) -> bool:
    """HR, managers and DX PROs (of the year) see the people and figures of units, each their
    own scope: the roster, the training dashboard, the questionnaire results."""
    return is_hr(user) or is_manager(user) or is_dx_pro(user, fiscal_year=fiscal_year)


def visible_people(
    viewer: User | AnonymousUser | None, *, fiscal_year: int | None = None
) -> QuerySet[User]:
    """Every person whose training data ``viewer`` may see, as one query."""
    people = User.objects.all()
    if not _signed_in(viewer):
        return people.none()
    if is_hr(viewer):
        return people
    paths = _scope_paths(viewer, fiscal_year)
    return people.filter(Q(pk=viewer.pk) | under("unit__path", paths))


def visible_units(
    viewer: User | AnonymousUser | None, *, fiscal_year: int | None = None
) -> QuerySet[OrgUnit]:
    """Units whose figures ``viewer`` may see (the whole tree for HR)."""
    if not _signed_in(viewer):
        return OrgUnit.objects.none()
    if is_hr(viewer):
        return OrgUnit.objects.all()
    paths = _scope_paths(viewer, fiscal_year)
    if not paths:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(under("path", paths))


def can_view_person(
    viewer: User | AnonymousUser | None, person: User, *, fiscal_year: int | None = None
) -> bool:
    """May ``viewer`` see ``person``'s training records?"""
    if not _signed_in(viewer):
        return False
    if viewer.pk == person.pk or is_hr(viewer):
        return True
    if person.unit_id is None:
        return False
    return is_under(person.unit.path, _scope_paths(viewer, fiscal_year))


def manages(user: User | AnonymousUser | None, unit: OrgUnit) -> bool:
    """Is ``unit`` one of the units ``user`` manages, or below one (their 「担当の所属」)?"""
    return is_under(unit.path, managed_unit_paths(user))


def can_assess_department(user: User | AnonymousUser | None, department: OrgUnit) -> bool:
    """Who enters a department's digital maturity: HR, or a manager of the department itself
    (its 部長 or an explicit assignment)."""
    if not _signed_in(user) or department.kind != OrgUnitKind.DEPARTMENT:
        return False
    return is_hr(user) or is_under(department.path, managed_unit_paths(user))


def can_view_unit(user: User | AnonymousUser | None, unit: OrgUnit) -> bool:
    """May ``user`` see the names and records of everyone in ``unit`` and below it (the
    people list and its exports): HR any unit, a manager the units they manage and those
    below them. A DX PRO's scope is for reviewing, not for lists of names."""
    if not _signed_in(user):
        return False
    return is_hr(user) or is_under(unit.path, managed_unit_paths(user))


def can_choose_language(user: User | AnonymousUser | None) -> bool:
    """Anyone signed in keeps their own language on their record (nobody else's)."""
    return _signed_in(user)


def can_schedule_reports(user: User | AnonymousUser | None) -> bool:
    """Who sets up reports that are e-mailed on a schedule: HR."""
    return is_hr(user)


def can_send_reminders(user: User | AnonymousUser | None, unit: OrgUnit | None = None) -> bool:
    """Who sends 受講のお願い to the overdue of a unit by hand: HR to any unit, a manager to
    the units they manage. Without a unit: may ``user`` send any (the menu, the log)."""
    if is_hr(user):
        return True
    if unit is None:
        return is_manager(user)
    return manages(user, unit)


def reminder_scope(
    viewer: User | AnonymousUser | None, *, recipient: str = "recipient"
) -> Q | None:
    """The reminders ``viewer`` sees in the log, as a condition on rows whose ``recipient``
    field is the person; ``None`` for all of them (HR). A manager sees those sent to the
    people of their units, whoever sent them."""
    if not _signed_in(viewer):
        return Q(pk__in=[])
    if is_hr(viewer):
        return None
    return under(_via(recipient, "unit__path"), managed_unit_paths(viewer))


def can_read_roster_files(user: User | AnonymousUser | None) -> bool:
    """Who downloads uploaded roster files (the whole city's names and addresses): HR."""
    return is_hr(user)


def can_issue_activation_codes(user: User | AnonymousUser | None) -> bool:
    """Who issues and prints first sign-in codes (each one lets its holder set the person's
    password): HR. Never for people above HR (``above_hr``): the issuing service leaves
    them out."""
    return is_hr(user)


def hr_required(view):
    """View decorator: signed in (else the sign-in page) and HR (else 403)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not is_hr(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
