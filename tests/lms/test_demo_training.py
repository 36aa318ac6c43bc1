"""The training demo data: assigned to all, a spread of progress, idempotent."""

import pytest

from lms.demo_training import training_demo_seed
from lms.models import Enrollment, EnrollmentStatus, UnitCourseStats
from lms.stats import stats_differences
from tests.factories import UserFactory, make_course, make_org_tree

pytestmark = pytest.mark.django_db


def test_seed_assigns_spreads_and_is_idempotent():
    assert training_demo_seed()["assignment"] is None  # no course yet: nothing to do
    tree = make_org_tree()
    for key in ("jinji_kakari", "kyuyo_kakari", "dx_kakari", "madoguchi"):
        for _ in range(6):
            UserFactory(unit=tree[key])
    make_course()
    first = training_demo_seed()
    assert first["enrolled"] == 24
    statuses = set(Enrollment.objects.values_list("status", flat=True))
    assert EnrollmentStatus.COMPLETED in statuses
    assert EnrollmentStatus.NOT_STARTED in statuses
    assert stats_differences() == []
    assert UnitCourseStats.objects.filter(overdue__gt=0).exists()
    before = list(Enrollment.objects.order_by("pk").values_list("status", "completed_at"))
    second = training_demo_seed()
    assert second["spread"] == 0
    assert second["assignment"] == first["assignment"]
    assert list(Enrollment.objects.order_by("pk").values_list("status", "completed_at")) == before
