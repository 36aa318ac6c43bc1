"""Template context for the page header: who is signed in, their unit and roles."""

import time

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from courses.marking.selectors import is_chosen_marker
from courses.plans.selectors import has_own_plans
from org import access

#: Seconds the header is kept in the session. It only decides which links the header shows
#: (every view checks permissions itself), so a role granted or removed shows within this.
HEADER_TTL = 300
SESSION_KEY = "_lms_header"


def _header(user) -> dict:
    return {
        "unit": user.unit.full_name() if user.unit_id else "",
        "roles": access.role_labels(user),
        "is_hr": access.is_hr(user),
        "is_editor": access.is_editor(user),
        # Managers and DX PROs see the figures and people of their own units.
        "sees_units": access.can_view_units(user),
        # A manager's 「担当の所属」: the menu entry and the panel on My training.
        "manages": access.is_manager(user),
        "managed_units": access.managed_unit_names(user),
        "reviews": access.sees_review_queue(user),
        # Essays are marked by whoever reviews worksheets (DX PROs; HR where a unit has none)
        # and by the people a quiz chose as its markers.
        "marks": access.sees_review_queue(user) or is_chosen_marker(user),
        # Staff who own a plan, or whose idea became one, find it in the menu.
        "plans": access.sees_plan_list(user) or has_own_plans(user),
    }


def current_member(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def header() -> dict:
        # Five queries on every page otherwise; the session is saved on every request
        # anyway (SESSION_SAVE_EVERY_REQUEST), so keeping the header there costs none.
        session = getattr(request, "session", None)
        stamp = [user.pk, user.unit_id, user.position, get_language()]
        cached = session.get(SESSION_KEY) if session is not None else None
        if cached and cached.get("stamp") == stamp and cached.get("until", 0) > time.time():
            return cached["header"]
        value = _header(user)
        if session is not None:
            session[SESSION_KEY] = {
                "stamp": stamp,
                "until": time.time() + HEADER_TTL,
                "header": value,
            }
        return value

    # Lazy: pages that do not render the header pay no queries for it.
    return {"member": SimpleLazyObject(header)}
