"""factory_boy factories for the whole suite."""

from .lms import (
    DxProAssignmentFactory,
    ManagerAssignmentFactory,
    OrgUnitFactory,
    UserFactory,
    make_org_tree,
)

__all__ = [
    "DxProAssignmentFactory",
    "ManagerAssignmentFactory",
    "OrgUnitFactory",
    "UserFactory",
    "make_org_tree",
]
