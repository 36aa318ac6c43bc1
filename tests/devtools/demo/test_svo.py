"""The SVO demo: an exercise in DX基礎研修 and worksheets in every state; idempotent."""

import pytest

from courses.models import CoursePage, DxPlan, SvoExercisePage, SvoWorksheet, WorksheetStatus
from devtools.demo.svo import svo_demo_seed
from tests.factories import DxProAssignmentFactory, UserFactory, make_org_tree

pytestmark = pytest.mark.django_db


def test_seed_adds_the_exercise_and_worksheets_in_every_state_once(
    django_capture_on_commit_callbacks,
):
    tree = make_org_tree()
    dx_pro = UserFactory(employee_number="9000005", unit=tree["madoguchi"])
    DxProAssignmentFactory(user=dx_pro, unit=tree["shimin_ka"])
    staff = UserFactory(employee_number="9000006", unit=tree["madoguchi"])
    for _ in range(4):
        UserFactory(unit=tree["madoguchi"])
    with django_capture_on_commit_callbacks(execute=True):
        first = svo_demo_seed()
    exercise = SvoExercisePage.objects.get()
    assert exercise.get_parent().specific == CoursePage.objects.get(slug="dx-basics")
    statuses = sorted(SvoWorksheet.objects.values_list("status", flat=True))
    assert statuses == sorted(WorksheetStatus.values)
    assert not SvoWorksheet.objects.filter(user__in=[dx_pro, staff]).exists()
    returned = SvoWorksheet.objects.get(status=WorksheetStatus.RETURNED)
    assert returned.reviews.get().comments.count() == 1
    assert any(s.findings for s in returned.statements.all())
    approved = SvoWorksheet.objects.get(status=WorksheetStatus.APPROVED)
    plans = DxPlan.objects.filter(worksheet=approved).order_by("statement__position")
    assert [p.statement.position for p in plans] == [1, 2]
    assert {p.owner for p in plans} == {approved.user, dx_pro}
    assert all(p.steps.exists() for p in plans)
    second = svo_demo_seed()
    assert first["worksheets"] == second["worksheets"] == 4
    assert first["plans"] == second["plans"] == first["plans_created"] == 2
    assert second["plans_created"] == 0
    assert second["created"] == {}
