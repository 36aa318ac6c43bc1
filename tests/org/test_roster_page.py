"""HR's roster page (``org:roster``): who may open it, what they see, search, pages, queries."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.fiscal import current_fiscal_year
from org.models import RoleGroup
from org.people import EmploymentType, Position
from org.selectors import normalize_search_query, org_tree_for, people_in_unit
from tests.factories import DxProAssignmentFactory, OrgUnitFactory, UserFactory, make_org_tree

pytestmark = pytest.mark.django_db

URL = reverse("org:roster")


@pytest.fixture
def org():
    return make_org_tree()


@pytest.fixture
def people(org):
    """A handful of staff across both departments."""
    return {
        "kacho": UserFactory(
            employee_number="10001",
            display_name="人事 課長",
            unit=org["jinji"],
            position=Position.SECTION_CHIEF,
        ),
        "jinji_staff": UserFactory(
            employee_number="10002",
            display_name="山田 太郎",
            kana="ヤマダ タロウ",
            email="taro.yamada@city.example.jp",
            unit=org["jinji_kakari"],
        ),
        "kyuyo_staff": UserFactory(
            employee_number="10003",
            display_name="佐藤 花子",
            kana="サトウ ハナコ",
            unit=org["kyuyo_kakari"],
            employment_type=EmploymentType.FIXED_TERM,
        ),
        "dx_staff": UserFactory(
            employee_number="10004", display_name="鈴木 一郎", unit=org["dx_kakari"]
        ),
        "madoguchi_staff": UserFactory(
            employee_number="10005", display_name="高橋 次郎", unit=org["madoguchi"]
        ),
        "left": UserFactory(
            employee_number="10006",
            display_name="田中 三郎",
            unit=org["madoguchi"],
            is_active=False,
        ),
    }


def listed(response) -> set[str]:
    return {person.employee_number for person in response.context["page"].object_list}


# --- who may open it -----------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("lms:login"))


@pytest.mark.parametrize(
    "groups", [[], [RoleGroup.EDITORS], [RoleGroup.MODERATORS]], ids=["staff", "editor", "mod"]
)
def test_plain_staff_and_editors_are_refused(client, org, groups):
    client.force_login(UserFactory(unit=org["madoguchi"], groups=groups))
    assert client.get(URL).status_code == 403


def test_dx_pro_of_last_year_only_is_refused(client, org):
    former = UserFactory(unit=org["madoguchi"])
    DxProAssignmentFactory(
        user=former, unit=org["shimin_ka"], fiscal_year=current_fiscal_year() - 1
    )
    client.force_login(former)
    assert client.get(URL).status_code == 403


def test_unit_chief_is_not_a_manager(client, org):
    client.force_login(UserFactory(unit=org["madoguchi"], position=Position.UNIT_CHIEF))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("kind", ["hr", "superuser"])
def test_hr_and_superuser_see_everyone(client, people, kind):
    viewer = (
        UserFactory(groups=[RoleGroup.HR])
        if kind == "hr"
        else UserFactory(is_superuser=True, is_staff=True)
    )
    client.force_login(viewer)
    response = client.get(URL, {"status": "all"})
    assert response.status_code == 200
    assert {p.employee_number for p in people.values()} <= listed(response)
    assert viewer.employee_number in listed(response)


def test_manager_sees_own_section_only(client, org, people):
    client.force_login(people["kacho"])
    response = client.get(URL)
    assert response.status_code == 200
    assert listed(response) == {"10001", "10002", "10003"}
    # The tree starts at the managed section.
    assert [node["name"] for node in response.context["tree"]] == ["人事課"]


def test_manager_cannot_open_another_unit(client, org, people):
    client.force_login(people["kacho"])
    assert client.get(URL, {"unit": org["madoguchi"].pk}).status_code == 404
    assert client.get(URL, {"unit": org["soumu"].pk}).status_code == 404
    assert client.get(URL, {"unit": "abc"}).status_code == 404


def test_dx_pro_sees_the_units_they_lead(client, org, people):
    pro = UserFactory(employee_number="10099", unit=org["madoguchi"])
    DxProAssignmentFactory(user=pro, unit=org["shimin_ka"])
    client.force_login(pro)
    response = client.get(URL, {"status": "all"})
    assert response.status_code == 200
    assert listed(response) == {"10005", "10006", "10099"}


# --- what the page shows -----------------------------------------------------------------


@pytest.fixture
def hr_client(client):
    client.force_login(UserFactory(employee_number="9999", groups=[RoleGroup.HR]))
    return client


def test_subtree_of_a_department_includes_every_level_below(hr_client, org, people):
    response = hr_client.get(URL, {"unit": org["soumu"].pk})
    assert listed(response) == {"10001", "10002", "10003", "10004"}
    response = hr_client.get(URL, {"unit": org["jinji"].pk})
    assert listed(response) == {"10001", "10002", "10003"}
    response = hr_client.get(URL, {"unit": org["kyuyo_kakari"].pk})
    assert listed(response) == {"10003"}


def test_rows_show_full_unit_path_labels_and_dx_pro_badge(hr_client, org, people):
    DxProAssignmentFactory(user=people["jinji_staff"], unit=org["jinji"])
    DxProAssignmentFactory(
        user=people["kyuyo_staff"], unit=org["jinji"], fiscal_year=current_fiscal_year() - 1
    )
    response = hr_client.get(URL, {"unit": org["jinji"].pk})
    rows = {p.employee_number: p for p in response.context["page"].object_list}
    assert rows["10002"].unit_full_name == "総務部 人事課 人事係"
    assert rows["10002"].is_dx_pro is True
    assert rows["10003"].is_dx_pro is False  # last year's appointment does not count
    html = response.content.decode()
    assert "総務部 人事課 給与係" in html
    assert "ヤマダ タロウ" in html
    assert str(EmploymentType.FIXED_TERM.label) in html
    assert str(Position.SECTION_CHIEF.label) in html
    assert html.count('class="badge">DX PRO<') == 1
    # Heads come first within their unit path order.
    assert response.context["page"].object_list[0].employee_number == "10001"


def test_tree_marks_selected_unit_and_counts_members(hr_client, org, people):
    response = hr_client.get(URL, {"unit": org["jinji"].pk})
    html = response.content.decode()
    assert f'<a href="?unit={org["jinji"].pk}" aria-current="true">' in html
    tree = {node["name"]: node for node in response.context["tree"]}
    assert set(tree) == {"総務部", "市民部"}
    assert tree["総務部"]["members"] == 4
    assert tree["市民部"]["members"] == 1  # the inactive person is not counted
    jinji = next(n for n in tree["総務部"]["children"] if n["name"] == "人事課")
    assert jinji["members"] == 3
    assert {n["name"] for n in jinji["children"]} == {"人事係", "給与係"}
    # The open branch shows its children; closed ones do not.
    assert "給与係" in html
    assert "窓口係" not in html


def test_closed_units_are_left_out_of_the_tree(hr_client, org):
    import datetime as dt

    OrgUnitFactory.create(
        parent=org["shimin_ka"], name="旧証明係", code="OLD1", valid_to=dt.date(2020, 3, 31)
    )
    tree = org_tree_for(UserFactory(groups=[RoleGroup.HR]))
    shimin_ka = tree[1]["children"][0]
    assert [n["name"] for n in shimin_ka["children"]] == ["窓口係"]


def test_inactive_filter(hr_client, people):
    assert "10006" not in listed(hr_client.get(URL))
    assert listed(hr_client.get(URL, {"status": "inactive"})) == {"10006"}
    assert "10006" in listed(hr_client.get(URL, {"status": "all"}))
    # A forged status falls back to active staff.
    assert "10006" not in listed(hr_client.get(URL, {"status": "bogus"}))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("10002", {"10002"}),
        ("１０００２", {"10002"}),  # full-width digits from a Japanese IME
        ("　１０００３　", {"10003"}),  # ideographic spaces around it
        ("山田", {"10002"}),
        ("山田太郎", {"10002"}),  # stored as "山田 太郎"
        ("山田 太郎", {"10002"}),
        ("ヤマダ", {"10002"}),
        ("やまだ", {"10002"}),  # hiragana finds katakana
        ("ﾔﾏﾀﾞ", {"10002"}),  # half-width katakana
        ("TARO.YAMADA@", {"10002"}),
        ("サトウ ハナコ", {"10003"}),
        ("10004 鈴木", {"10004"}),
        ("存在しない", set()),
    ],
)
def test_search(hr_client, people, query, expected):
    response = hr_client.get(URL, {"q": query})
    assert response.status_code == 200
    assert listed(response) == expected


def test_search_within_a_unit_and_empty_state(hr_client, org, people):
    params = {"q": "山田", "unit": org["shimin_bu"].pk}
    hr_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's cookie
    response = hr_client.get(URL, params)
    assert listed(response) == set()
    html = response.content.decode()
    assert 'class="card empty-state"' in html
    assert "Nobody matches your search." in html
    assert "0 people found" in html
    # Without a search, the empty state says the unit is empty instead.
    empty_unit = OrgUnitFactory.create(parent=org["shimin_ka"], name="証明係")
    hr_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = hr_client.get(URL, {"unit": empty_unit.pk})
    assert "Nobody is recorded in this unit." in html.content.decode()


def test_normalize_search_query():
    assert normalize_search_query("　ＡＢＣ　１２３ ") == "ABC 123"
    assert normalize_search_query("") == ""


def test_people_in_unit_is_scoped_even_when_asked_for_another_unit(org, people):
    # A selector call with a unit outside the viewer's scope still returns nobody outside it.
    result = people_in_unit(people["kacho"], unit=org["shimin_ka"], active=None)
    assert list(result) == []


def test_pagination(hr_client, org):
    UserFactory.create_batch(120, unit=org["madoguchi"], display_name="窓口 職員")
    first = hr_client.get(URL, {"unit": org["madoguchi"].pk, "q": "窓口"})
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.num_pages == 3
    html = first.content.decode()
    # The next-page link keeps the unit and the search.
    assert "page=2" in html and f"unit={org['madoguchi'].pk}" in html and "q=" in html
    last = hr_client.get(URL, {"unit": org["madoguchi"].pk, "q": "窓口", "page": 3})
    assert len(last.context["page"].object_list) == 20
    beyond = hr_client.get(URL, {"unit": org["madoguchi"].pk, "q": "窓口", "page": 99})
    assert beyond.context["page"].number == 3
    pages = [hr_client.get(URL, {"unit": org["madoguchi"].pk, "page": n}) for n in (1, 2, 3)]
    seen = [p for page in pages for p in listed(page)]
    assert len(seen) == len(set(seen)) == 120


# --- queries do not grow with the size of the city ------------------------------------------


def build_city(*, departments: int, sections: int, people_per_unit: int) -> list:
    """``departments`` 部 each with ``sections`` 課 each with two 係, people in every 係."""
    units = []
    for d in range(departments):
        bu = OrgUnitFactory.create(name=f"部{d}")
        for s in range(sections):
            ka = OrgUnitFactory.create(parent=bu, name=f"課{d}-{s}")
            for k in range(2):
                kakari = OrgUnitFactory.create(parent=ka, name=f"係{d}-{s}-{k}")
                units.append(kakari)
                for person in UserFactory.create_batch(people_per_unit, unit=kakari):
                    DxProAssignmentFactory(user=person, unit=ka)
    return units


def count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("viewer_kind", ["hr", "manager"])
def test_query_count_does_not_grow_with_people_or_units(
    client, django_assert_num_queries, viewer_kind
):
    units = build_city(departments=1, sections=1, people_per_unit=2)  # 2 units, 4 people
    top = units[0].get_parent().get_parent()
    if viewer_kind == "hr":
        viewer = UserFactory(groups=[RoleGroup.HR])
    else:
        viewer = UserFactory(unit=top, position=Position.DIRECTOR)
    client.force_login(viewer)
    params = [{}, {"unit": top.pk}, {"q": "職員"}]
    client.get(URL)  # the page header is kept in the session from the first page on
    small = [count_queries(client, p) for p in params]

    # Grow the city: many more units and people, also under the same department.
    for _ in range(3):
        ka = OrgUnitFactory.create(parent=top)
        for _k in range(3):
            kakari = OrgUnitFactory.create(parent=ka)
            for person in UserFactory.create_batch(10, unit=kakari):
                DxProAssignmentFactory(user=person, unit=ka)
    build_city(departments=3, sections=2, people_per_unit=5)
    for p, expected in zip(params, small, strict=True):
        with django_assert_num_queries(expected):
            response = client.get(URL, p)
        assert response.status_code == 200
    assert len(client.get(URL, {"unit": top.pk}).context["page"].object_list) == 50
