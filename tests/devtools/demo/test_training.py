"""The training demo data: assigned to all, a spread of progress, idempotent."""

import pytest

from core.fiscal import current_fiscal_year
from devtools.demo.training import training_demo_seed
from lms.completion.figures import stats_differences
from lms.models import Enrollment, EnrollmentStatus, UnitCourseStats
from lms.reports.dashboard import completion_trend
from org.models import RoleGroup
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


def test_seed_gives_the_trend_closed_past_years():
    tree = make_org_tree()
    for key in ("jinji_kakari", "kyuyo_kakari", "dx_kakari", "madoguchi"):
        for _ in range(10):
            UserFactory(unit=tree[key])
    make_course()
    first = training_demo_seed()
    year = current_fiscal_year()
    assert sorted(first["past_years"]) == [year - 3, year - 2, year - 1]
    hr = UserFactory(groups=[RoleGroup.HR])
    trend = completion_trend(viewer=hr, course_id=Enrollment.objects.first().course_id)
    assert [row["fiscal_year"] for row in trend] == [year - 3, year - 2, year - 1, year]
    past = [row["percent"] for row in trend[:3]]
    assert past[0] < past[-1]  # the course caught on (small cities vary year to year)
    assert all(row["enrolled"] == 40 for row in trend)
    assert stats_differences() == []
    # Past years are closed: everything not completed is overdue, and nobody is reminded.
    last = UnitCourseStats.objects.filter(fiscal_year=year - 1)
    assert sum(r.overdue for r in last) == sum(r.enrolled - r.completed for r in last) > 0
    assert training_demo_seed()["past_years"] == {}
    assert Enrollment.objects.count() == 160
