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
from .courses import QuestionCategoryFactory, make_course, make_question

__all__ += ["QuestionCategoryFactory", "make_course", "make_question"]
from .svo import GOOD_STATEMENT, make_svo_exercise, make_worksheet  # noqa: E402

__all__ += ["GOOD_STATEMENT", "make_svo_exercise", "make_worksheet"]
