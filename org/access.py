"""Who may see and change whose data: the one place that answers it.

Every view, selector, service, task and admin screen that touches a person's records asks
here; no other module states a scope rule. The rules:

- everyone sees themselves; nobody who is signed out or deactivated sees anything;
- HR (the ``HR`` group) and superusers see everyone and manage the organisation;
- a manager sees everyone under the units they manage: the unit they sit in when their
  position is a manager position (部長, 課長 ...), plus any explicit ``ManagerAssignment``;
  for those units (their 「担当の所属」) they read the submitted worksheets (deciding on
  them only when also their DX PRO) and the DX plans, and send 受講のお願い;
- a DX PRO sees everyone under the units they are appointed to for the fiscal year, and
  reviews their SVO worksheets; a worksheet whose author sits where no DX PRO is appointed
  goes to HR instead; nobody reviews their own;
- a DX execution plan is seen and changed by its worksheet's author, its owner and a DX PRO
  of the author's unit; HR reads every plan, a manager the plans of their units' people;
- content editors and everyone else see nobody but themselves;
- HR changes people through the roster import, but never anyone "above HR" (``above_hr``):
  superusers, Django admin (``is_staff``) accounts, and whoever holds a permission, page or
  collection right that the HR group does not; else HR could take over such an account by
  changing its e-mail address and asking for a password reset. For the same reason HR's
  first sign-in codes (``can_issue_activation_codes``) are never issued for them.

Scopes become a handful of path prefixes (``org.paths.under``), so "people I may see" stays
one indexed query whatever the size of the city. What a request asks several times is kept
on the user object for that request (``memo``); the user is loaded afresh for every request.

The rules are stated in terms of people and units only, so apps above (courses, lms, surveys)
apply them to their own rows by naming the field that leads to the person (``author=...``).
Services that change data call ``require`` before they act (Wagtail's check, then execute);
a service called without a person (``by=None``) is the system acting: a task, a command.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, pgettext

from core.fiscal import current_fiscal_year, fiscal_year_of

from .models import DxProAssignment, ManagerAssignment, OrgUnit, OrgUnitKind, RoleGroup
from .paths import ancestor_paths, is_under, minimal_paths, under
from .people import MANAGER_POSITIONS

User = get_user_model()
T = TypeVar("T")

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


# --- the memo of one request --------------------------------------------------------------


def memo(user: Any, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per user object (one request): the header, the selectors and the
    view of a page each ask the same questions."""
    kept = user.__dict__.setdefault("_access_memo", {})
    if key not in kept:
        kept[key] = compute()
    return kept[key]


def _signed_in(user: User | AnonymousUser | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _group_names(user: User) -> set[str]:
    return memo(user, "groups", lambda: set(user.groups.values_list("name", flat=True)))


def require(allowed: bool, message: str | None = None) -> None:
    """Refuse the action (``PermissionDenied``) unless ``allowed``: the check a service makes
    before it changes anything."""
    if not allowed:
        raise PermissionDenied(message or gettext("You may not do this."))


# --- roles ---------------------------------------------------------------------------------


def is_hr(user: User | AnonymousUser | None) -> bool:
    """HR and the DX office see and manage the whole organisation."""
    if not _signed_in(user):
        return False
    return user.is_superuser or RoleGroup.HR in _group_names(user)


_CMS_GROUPS = frozenset({RoleGroup.EDITORS, RoleGroup.MODERATORS, RoleGroup.REVIEWERS})


def is_editor(user: User | AnonymousUser | None) -> bool:
    """Content editors and reviewers work in the CMS."""
    if not _signed_in(user):
        return False
    return user.is_superuser or bool(_CMS_GROUPS & _group_names(user))


def can_view_page(request: HttpRequest, page) -> bool:
    """A Wagtail page's own files and endpoints (a SCORM package, a video) follow the page:
    live, or any state for an editor (the preview), and past its view restrictions
    (password, groups, signed-in) as Wagtail would judge the request."""
    if not page.live and not is_editor(request.user):
        return False
    return all(r.accept_request(request) for r in page.get_view_restrictions())


def _rights_beyond_hr() -> tuple[QuerySet[Permission], QuerySet[Group]]:
    """The permissions HR does not hold, and the groups that hold any of them or any CMS page
    or collection right HR does not hold on the same page or collection."""
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    hr_permissions = Permission.objects.filter(group__name=RoleGroup.HR).values("pk")
    beyond = Permission.objects.exclude(pk__in=hr_permissions)

    def object_rights(model, target: str) -> QuerySet:
        held_by_hr = model.objects.filter(
            group__name=RoleGroup.HR,
            permission=OuterRef("permission"),
            **{target: OuterRef(target)},
        )
        return model.objects.exclude(group__name=RoleGroup.HR).filter(~Exists(held_by_hr))

    groups = Group.objects.filter(
        Q(permissions__in=beyond)
        | Q(pk__in=object_rights(GroupPagePermission, "page").values("group_id"))
        | Q(pk__in=object_rights(GroupCollectionPermission, "collection").values("group_id"))
    ).exclude(name=RoleGroup.HR)
    return beyond, groups


def above_hr() -> Q:
    """People whose rights go beyond HR's, as a condition on users: superusers, Django admin
    accounts (``is_staff``), and whoever holds, directly or through a group, a permission or a
    CMS page or collection right the HR group does not. HR cannot change them by any of its
    tools (the roster import refuses their lines): whoever could change their e-mail address
    could take the account over with a password reset."""
    beyond, groups = _rights_beyond_hr()
    return (
        Q(is_superuser=True)
        | Q(is_staff=True)
        | Q(pk__in=User.objects.filter(user_permissions__in=beyond).values("pk"))
        | Q(pk__in=User.groups.through.objects.filter(group__in=groups).values("user_id"))
    )


def is_above_hr(person: User) -> bool:
    """``above_hr`` for one person (one query)."""
    return User.objects.filter(above_hr(), pk=person.pk).exists()


def managed_unit_paths(user: User | AnonymousUser | None) -> list[str]:
    """Path prefixes of the subtrees the user manages."""
    if not _signed_in(user):
        return []
    return memo(user, "managed", lambda: _managed_unit_paths(user))


def _managed_unit_paths(user: User) -> list[str]:
    paths = set(ManagerAssignment.objects.filter(user=user).values_list("unit__path", flat=True))
    if user.position in MANAGER_POSITIONS and user.unit_id is not None:
        paths.add(user.unit.path)
    return minimal_paths(paths)


def managed_unit_names(user: User | AnonymousUser | None) -> list[str]:
    """The names of the units the user manages, in tree order (one query; none for those
    who manage nothing): what the header and My training call their 「担当の所属」."""
    paths = managed_unit_paths(user)
    if not paths:
        return []
    return list(
        OrgUnit.objects.filter(path__in=paths).order_by("path").values_list("name", flat=True)
    )


def dx_pro_unit_paths(
    user: User | AnonymousUser | None, *, fiscal_year: int | None = None
) -> list[str]:
    """Path prefixes of the subtrees the user leads as DX PRO in the fiscal year."""
    if not _signed_in(user):
        return []
    year = fiscal_year or current_fiscal_year()
    return memo(
        user,
        f"dx_pro:{year}",
        lambda: minimal_paths(
            DxProAssignment.objects.filter(user=user, fiscal_year=year).values_list(
                "unit__path", flat=True
            )
        ),
    )


def is_dx_pro(user: User | AnonymousUser | None, *, fiscal_year: int | None = None) -> bool:
    return bool(dx_pro_unit_paths(user, fiscal_year=fiscal_year))


def is_manager(user: User | AnonymousUser | None) -> bool:
    return bool(managed_unit_paths(user))


def role_labels(user: User | AnonymousUser) -> list[str]:
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
    if RoleGroup.REVIEWERS in _group_names(user):
        labels.append(pgettext("role", "Reviewer"))
    if is_manager(user):
        labels.append(gettext("Manager"))
    if is_dx_pro(user):
        labels.append(gettext("DX PRO"))
    if not labels:
        labels.append(gettext("Staff"))
    return labels


# --- people and units ------------------------------------------------------------------------


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


# --- SVO worksheets: review ------------------------------------------------------------------


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


def _via(author: str, field: str) -> str:
    """The lookup of ``field`` of the person reached through ``author`` ("" is the person)."""
    return f"{author}__{field}" if author else field


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


# --- DX execution plans ----------------------------------------------------------------------


def sees_review_queue(viewer: User | AnonymousUser | None) -> bool:
    """HR and DX PROs review worksheets and have the queue in their menu; a manager reads
    theirs from the list of their units' worksheets."""
    return is_hr(viewer) or is_dx_pro(viewer)


def sees_plan_list(viewer: User | AnonymousUser | None) -> bool:
    """HR, DX PROs and managers have the plan list in their menu; authors reach theirs from
    the worksheet (and may open the list too)."""
    return is_hr(viewer) or is_dx_pro(viewer) or is_manager(viewer)


def visible_plans(
    viewer: User | AnonymousUser | None, *, author: str = "worksheet__user", owner: str = "owner"
) -> Q | None:
    """The plans ``viewer`` sees, as a condition on rows whose ``author`` and ``owner`` fields
    are people; ``None`` for all of them (HR)."""
    if not _signed_in(viewer):
        return Q(pk__in=[])
    if is_hr(viewer):
        return None
    return (
        Q(**{author: viewer.pk})
        | Q(**{owner: viewer.pk})
        | under(f"{author}__unit__path", dx_pro_unit_paths(viewer))
        | under(f"{author}__unit__path", managed_unit_paths(viewer))
    )


def can_create_plan_for(viewer: User | AnonymousUser | None, author: User) -> bool:
    """The author of a worksheet and a DX PRO of the author's unit grow its ideas into plans
    (whether the worksheet is ready for it is the plan's own rule)."""
    if not _signed_in(viewer):
        return False
    return viewer.pk == author.pk or is_dx_pro_of(viewer, author)


def can_edit_plan(viewer: User | AnonymousUser | None, *, author: User, owner_id: int | None):
    """The author, the owner and a DX PRO of the author's unit change a plan; HR only reads."""
    if not _signed_in(viewer):
        return False
    return viewer.pk in (author.pk, owner_id) or is_dx_pro_of(viewer, author)


def can_view_plan(viewer: User | AnonymousUser | None, *, author: User, owner_id: int | None):
    """Whoever changes a plan, HR, and a manager of the author's unit read it."""
    if can_edit_plan(viewer, author=author, owner_id=owner_id) or is_hr(viewer):
        return True
    return author.unit_id is not None and manages(viewer, author.unit)


# --- who hears about whom --------------------------------------------------------------------


@dataclass
class Heads:
    """The managers and DX PROs over a set of people, loaded once (four queries), so that a
    digest of many people costs the same as one.

    A person's managers are whoever manages the section (課) they belong to, by position or by
    an explicit assignment; when the section has none, the nearest managed unit above it
    (the 部長). Their DX PROs are those appointed for their unit or any unit above it.
    """

    sections: list[str]
    managers: list[tuple[User, str]]
    pros: list[tuple[User, str]]

    @classmethod
    def over(cls, people: Iterable[User], *, on: dt.date | None = None) -> Heads:
        paths = {p for person in people if person.unit_id for p in ancestor_paths(person.unit.path)}
        if not paths:
            return cls(sections=[], managers=[], pros=[])
        year = fiscal_year_of(on) if on else current_fiscal_year()
        sections = list(
            OrgUnit.objects.filter(kind=OrgUnitKind.SECTION, path__in=paths).values_list(
                "path", flat=True
            )
        )
        by_position = User.objects.filter(
            is_active=True, position__in=MANAGER_POSITIONS, unit__path__in=paths
        ).select_related("unit")
        explicit = ManagerAssignment.objects.filter(
            user__is_active=True, unit__path__in=paths
        ).select_related("user", "unit")
        pros = DxProAssignment.objects.filter(
            fiscal_year=year, user__is_active=True, unit__path__in=paths
        ).select_related("user", "unit")
        return cls(
            sections=sections,
            managers=[(m, m.unit.path) for m in by_position]
            + [(a.user, a.unit.path) for a in explicit],
            pros=[(a.user, a.unit.path) for a in pros],
        )

    def managers_of(self, person: User) -> set[User]:
        if person.unit_id is None:
            return set()
        path = person.unit.path
        enclosing = [section for section in self.sections if path.startswith(section)]
        section = max(enclosing, key=len) if enclosing else path
        above = [
            (head, unit)
            for head, unit in self.managers
            if head.pk != person.pk and section.startswith(unit)
        ]
        nearest = max((len(unit) for _head, unit in above), default=None)
        return {head for head, unit in above if len(unit) == nearest}

    def reviewers_of(self, person: User) -> set[User]:
        if person.unit_id is None:
            return set()
        path = person.unit.path
        return {pro for pro, unit in self.pros if pro.pk != person.pk and path.startswith(unit)}


def managers_of(person: User) -> set[User]:
    """Who manages ``person``: the managers of their section, else the nearest above it."""
    return Heads.over([person]).managers_of(person)
