"""Models of people and organisation."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from lms.models import User
from org.models import OrgUnit, OrgUnitKind
from tests.factories import OrgUnitFactory, UserFactory, make_org_tree

pytestmark = pytest.mark.django_db


def test_subtree_is_one_prefix_query():
    units = make_org_tree()
    soumu = units["soumu"]
    with CaptureQueriesContext(connection) as queries:
        names = set(OrgUnit.objects.subtree_of(soumu).values_list("name", flat=True))
    assert len(queries) == 1
    assert "LIKE" in queries[0]["sql"].upper()
    assert names == {"総務部", "人事課", "人事係", "給与係", "情報政策課", "DX推進係"}


def test_people_of_a_subtree_in_one_query():
    units = make_org_tree()
    inside = [UserFactory(unit=units["jinji_kakari"]), UserFactory(unit=units["dx_kakari"])]
    UserFactory(unit=units["madoguchi"])
    with CaptureQueriesContext(connection) as queries:
        found = set(User.objects.filter(unit__path__startswith=units["soumu"].path))
    assert len(queries) == 1
    assert found == set(inside)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL operator class")
def test_path_has_a_prefix_index_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["orgunit_path_prefix"]
        )
        (indexdef,) = cursor.fetchone()
    assert "varchar_pattern_ops" in indexdef


def test_unit_history_survives_a_reorganisation():
    units = make_org_tree()
    old = units["jouhou"]
    old.valid_to = dt.date(2026, 3, 31)
    old.save()
    new = OrgUnitFactory.create(
        parent=units["soumu"], name="デジタル推進課", code="S0102", valid_from=dt.date(2026, 4, 1)
    )
    old.successor = new
    old.save()
    on_new_year = dt.date(2026, 4, 1)
    current = set(OrgUnit.objects.current(on_new_year).values_list("name", flat=True))
    assert "デジタル推進課" in current
    assert "情報政策課" not in current
    assert "情報政策課" in set(
        OrgUnit.objects.current(dt.date(2026, 3, 31)).values_list("name", flat=True)
    )
    # The old code may be reused by the successor, never by two current units.
    with pytest.raises(IntegrityError):
        OrgUnitFactory.create(parent=units["soumu"], name="重複", code="S0102")


def test_full_name_walks_the_tree_in_one_query(django_assert_num_queries):
    units = make_org_tree()
    unit = OrgUnit.objects.get(pk=units["dx_kakari"].pk)
    with django_assert_num_queries(1):
        assert unit.full_name() == "総務部 情報政策課 DX推進係"
    assert unit.kind == OrgUnitKind.UNIT


def test_employee_numbers_are_normalised_and_unique():
    user = User.objects.create_user("ａｂ１２３", "pw", display_name="テスト")
    assert user.employee_number == "AB123"
    with pytest.raises(IntegrityError):
        User.objects.create_user("AB123", "pw", display_name="重複")


def test_emails_are_unique_ignoring_case_but_may_be_blank():
    UserFactory(email="a@city.example.jp")
    UserFactory(email="")
    UserFactory(email="")
    with pytest.raises(IntegrityError):
        UserFactory(email="A@CITY.EXAMPLE.JP")


def test_superuser():
    admin = User.objects.create_superuser("admin", "pw", display_name="管理者")
    assert admin.is_staff and admin.is_superuser
    assert str(admin) == "管理者 (ADMIN)"
