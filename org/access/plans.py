"""DX execution plans: who sees, creates and edits them.

Part of ``org.access`` (its docstring states the rules); import from there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Q

from ..paths import under
from .people import manages
from .roles import _signed_in, dx_pro_unit_paths, is_dx_pro, is_hr, is_manager, managed_unit_paths
from .worksheets import is_dx_pro_of

User = get_user_model()

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


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
