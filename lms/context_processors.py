"""Template context for the page header: who is signed in, their unit and roles."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import access


def current_member(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def header() -> dict:
        return {
            "unit": user.unit.full_name() if user.unit_id else "",
            "roles": access.role_labels(user),
            "is_hr": access.is_hr(user),
            "is_editor": access.is_editor(user),
            # Managers and DX PROs see the figures and people of their own units.
            "sees_units": access.can_browse_roster(user),
            "reviews": access.is_hr(user) or access.is_dx_pro(user),
        }

    # Lazy: pages that do not render the header pay no queries for it.
    return {"member": SimpleLazyObject(header)}
