"""Who may answer, enter and see what in the surveys; built on ``lms.access``."""

from __future__ import annotations

from lms.models import User
from org.access import is_dx_pro, is_hr, is_manager, managed_unit_paths
from org.models import OrgUnit, OrgUnitKind


def can_view_results(user: User) -> bool:
    """HR sees every department; managers and DX PROs see their own units."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_hr(user) or is_manager(user) or is_dx_pro(user)


def can_assess(user: User, department: OrgUnit) -> bool:
    """HR, or a manager of the department itself (部長 or an explicit assignment)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if department.kind != OrgUnitKind.DEPARTMENT:
        return False
    if is_hr(user):
        return True
    return any(department.path.startswith(path) for path in managed_unit_paths(user))
