"""The roles a person holds (HR, editor, manager, DX PRO, "above HR"), the request memo,
and ``require``, the check every service makes before it changes anything.

Part of ``org.access`` (its docstring states the rules); import from there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, pgettext

from core.fiscal import current_fiscal_year

from ..models import DxProAssignment, ManagerAssignment, OrgUnit, RoleGroup
from ..paths import minimal_paths
from ..people import MANAGER_POSITIONS

User = get_user_model()
T = TypeVar("T")

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


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


def _via(author: str, field: str) -> str:
    """The lookup of ``field`` of the person reached through ``author`` ("" is the person)."""
    return f"{author}__{field}" if author else field
