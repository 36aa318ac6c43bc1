"""The permission matrix: who may see whose training data (org.access)."""

import pytest

from core.fiscal import current_fiscal_year
from org import access
from org.models import DxProAssignment, RoleGroup
from org.people import Position
from tests.factories import (
    DxProAssignmentFactory,
    ManagerAssignmentFactory,
    UserFactory,
    make_org_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    units = make_org_tree()
    people = {
        # Subjects whose data is looked at.
        "jinji_clerk": UserFactory(unit=units["jinji_kakari"]),
        "kyuyo_clerk": UserFactory(unit=units["kyuyo_kakari"]),
        "dx_clerk": UserFactory(unit=units["dx_kakari"]),
        "madoguchi_clerk": UserFactory(unit=units["madoguchi"]),
        # Viewers.
        "staff": UserFactory(unit=units["jinji_kakari"]),
        "hr": UserFactory(unit=units["jinji_kakari"], groups=[RoleGroup.HR]),
        "editor": UserFactory(unit=units["dx_kakari"], groups=[RoleGroup.EDITORS]),
        "admin": UserFactory(unit=None, is_superuser=True, is_staff=True),
        "jinji_chief": UserFactory(unit=units["jinji"], position=Position.SECTION_CHIEF),
        "soumu_director": UserFactory(unit=units["soumu"], position=Position.DIRECTOR),
        "acting_manager": UserFactory(unit=units["dx_kakari"]),
        "jinji_dx_pro": UserFactory(unit=units["kyuyo_kakari"]),
        "shimin_dx_pro": UserFactory(unit=units["madoguchi"]),
        "last_year_dx_pro": UserFactory(unit=units["jinji_kakari"]),
        "left": UserFactory(unit=units["jinji_kakari"], groups=[RoleGroup.HR], is_active=False),
    }
    year = current_fiscal_year()
    ManagerAssignmentFactory(user=people["acting_manager"], unit=units["shimin_ka"])
    DxProAssignmentFactory(user=people["jinji_dx_pro"], unit=units["jinji"], fiscal_year=year)
    DxProAssignmentFactory(user=people["shimin_dx_pro"], unit=units["shimin_ka"], fiscal_year=year)
    DxProAssignmentFactory(
        user=people["last_year_dx_pro"], unit=units["jinji"], fiscal_year=year - 1
    )
    return units, people


SUBJECTS = ["jinji_clerk", "kyuyo_clerk", "dx_clerk", "madoguchi_clerk"]

# viewer -> the subjects (of SUBJECTS) they may see.
MATRIX = {
    "staff": set(),
    "hr": set(SUBJECTS),
    "admin": set(SUBJECTS),
    "editor": set(),
    "jinji_chief": {"jinji_clerk", "kyuyo_clerk"},
    "soumu_director": {"jinji_clerk", "kyuyo_clerk", "dx_clerk"},
    "acting_manager": {"madoguchi_clerk"},
    "jinji_dx_pro": {"jinji_clerk", "kyuyo_clerk"},
    "shimin_dx_pro": {"madoguchi_clerk"},
    "last_year_dx_pro": set(),
    "left": set(),
}


@pytest.mark.parametrize("viewer", sorted(MATRIX))
@pytest.mark.parametrize("subject", SUBJECTS)
def test_can_view_person_matrix(city, viewer, subject):
    _units, people = city
    expected = subject in MATRIX[viewer]
    assert access.can_view_person(people[viewer], people[subject]) is expected


@pytest.mark.parametrize("viewer", sorted(MATRIX))
def test_visible_people_agrees_with_can_view_person(city, viewer):
    _units, people = city
    visible = set(access.visible_people(people[viewer]).values_list("pk", flat=True))
    for subject in SUBJECTS:
        assert (people[subject].pk in visible) is (subject in MATRIX[viewer])


@pytest.mark.parametrize("viewer", sorted(MATRIX))
def test_everyone_active_sees_themselves(city, viewer):
    _units, people = city
    me = people[viewer]
    assert access.can_view_person(me, me) is me.is_active


def test_anonymous_sees_nobody(city):
    from django.contrib.auth.models import AnonymousUser

    _units, people = city
    anonymous = AnonymousUser()
    assert not access.can_view_person(anonymous, people["jinji_clerk"])
    assert not access.visible_people(anonymous).exists()
    assert not access.visible_units(anonymous).exists()


def test_visible_people_is_one_query_for_a_dx_pro(city, django_assert_num_queries):
    _units, people = city
    viewer = type(people["jinji_dx_pro"]).objects.get(pk=people["jinji_dx_pro"].pk)
    # groups, manager assignments, DX PRO assignments, then the people themselves.
    with django_assert_num_queries(4):
        list(access.visible_people(viewer))


def test_visible_units_follow_scopes(city):
    units, people = city
    names = set(access.visible_units(people["soumu_director"]).values_list("name", flat=True))
    assert names == {"総務部", "人事課", "人事係", "給与係", "情報政策課", "DX推進係"}
    assert access.visible_units(people["staff"]).count() == 0
    assert access.visible_units(people["hr"]).count() == len(units)


def test_dx_pro_reviews_only_their_units_and_not_themselves(city):
    _units, people = city
    dx_pro = people["jinji_dx_pro"]
    assert access.can_review_worksheets_of(dx_pro, people["jinji_clerk"])
    assert not access.can_review_worksheets_of(dx_pro, dx_pro)
    assert not access.can_review_worksheets_of(dx_pro, people["madoguchi_clerk"])
    # A manager who is not a DX PRO sees the people but does not review them.
    assert not access.can_review_worksheets_of(people["jinji_chief"], people["jinji_clerk"])
    assert not access.can_review_worksheets_of(people["last_year_dx_pro"], people["jinji_clerk"])


def test_review_rule_as_a_query_is_the_rule_itself(city):
    """``reviewable`` (the queue's query) and ``can_review_worksheets_of`` (one worksheet)
    agree for every viewer and every person, HR's units without a DX PRO included."""
    _units, people = city
    everyone = list(people.values())
    for viewer in everyone:
        in_query = set(type(viewer).objects.filter(access.reviewable(viewer, author="")))
        by_rule = {person for person in everyone if access.can_review_worksheets_of(viewer, person)}
        assert in_query & set(everyone) == by_rule, viewer
    # HR reviews where no DX PRO is appointed (総務部's 情報政策課), not where one is (人事課).
    assert access.can_review_worksheets_of(people["hr"], people["dx_clerk"])
    assert not access.can_review_worksheets_of(people["hr"], people["jinji_clerk"])
    assert not access.can_review_worksheets_of(people["left"], people["dx_clerk"])


def _rule_and_query_agree(people) -> None:
    everyone = list(people.values())
    for viewer in everyone:
        in_query = set(type(viewer).objects.filter(access.reviewable(viewer, author="")))
        by_rule = {person for person in everyone if access.can_review_worksheets_of(viewer, person)}
        assert in_query & set(everyone) == by_rule, viewer


def test_with_no_dx_pro_appointed_yet_hr_reviews_everyone(city):
    """Every April, before the year's DX PROs are appointed, HR's queue is the whole city."""
    _units, people = city
    DxProAssignment.objects.filter(fiscal_year=current_fiscal_year()).delete()
    _rule_and_query_agree(people)
    queue = set(type(people["hr"]).objects.filter(access.reviewable(people["hr"], author="")))
    assert {people[name] for name in SUBJECTS} <= queue


def test_a_unit_whose_dx_pro_left_is_hrs_to_review_again(city):
    _units, people = city
    people["jinji_dx_pro"].is_active = False
    people["jinji_dx_pro"].save()
    assert access.can_review_worksheets_of(people["hr"], people["jinji_clerk"])
    _rule_and_query_agree(people)


def test_role_labels(city):
    _units, people = city
    assert access.role_labels(people["staff"]) == ["職員"]
    assert access.role_labels(people["hr"]) == ["人事"]
    assert "DX PRO" in access.role_labels(people["jinji_dx_pro"])
    assert "管理職" in access.role_labels(people["jinji_chief"])


def test_read_rule_as_a_query_is_the_rule_itself(city):
    """``readable`` (the manager's list and the review screen) and ``can_read_worksheets_of``
    agree for every viewer and person: a manager reads their units' people, whoever reviews
    them, and nobody reads their own there."""
    units, people = city
    everyone = list(people.values())
    for viewer in everyone:
        in_query = set(type(viewer).objects.filter(access.readable(viewer, author="")))
        by_rule = {person for person in everyone if access.can_read_worksheets_of(viewer, person)}
        assert in_query & set(everyone) == by_rule, viewer
    chief = people["jinji_chief"]
    assert access.can_read_worksheets_of(chief, people["kyuyo_clerk"])
    assert not access.can_review_worksheets_of(chief, people["kyuyo_clerk"])
    assert not access.can_read_worksheets_of(chief, people["dx_clerk"])  # a sibling section
    assert access.can_read_worksheets_of(people["acting_manager"], people["madoguchi_clerk"])
    assert access.manages(chief, units["kyuyo_kakari"]) and not access.manages(
        chief, units["jouhou"]
    )


def test_managers_send_reminders_to_their_units_only(city):
    units, people = city
    chief, director = people["jinji_chief"], people["soumu_director"]
    assert access.can_send_reminders(chief) and access.can_send_reminders(chief, units["jinji"])
    assert not access.can_send_reminders(chief, units["jouhou"])
    assert not access.can_send_reminders(chief, units["soumu"])  # above their own
    assert access.can_send_reminders(director, units["dx_kakari"])
    assert access.can_send_reminders(people["hr"], units["madoguchi"])
    for nobody in ("staff", "editor", "jinji_dx_pro", "left"):
        assert not access.can_send_reminders(people[nobody]), nobody
        assert not access.can_send_reminders(people[nobody], units["jinji_kakari"]), nobody
    assert access.reminder_scope(people["hr"]) is None
    in_scope = set(type(chief).objects.filter(access.reminder_scope(chief, recipient="")))
    assert in_scope & set(people.values()) == {
        people[key] for key in ("jinji_clerk", "kyuyo_clerk", "staff", "hr", "jinji_chief",
                                "jinji_dx_pro", "last_year_dx_pro", "left")
    }  # fmt: skip


def test_managers_see_their_units_plans_but_no_review_queue(city):
    _units, people = city
    chief = people["jinji_chief"]
    assert access.sees_plan_list(chief) and not access.sees_review_queue(chief)
    assert access.sees_review_queue(people["jinji_dx_pro"]) and access.sees_review_queue(
        people["hr"]
    )
    assert access.can_view_plan(chief, author=people["kyuyo_clerk"], owner_id=None)
    assert not access.can_edit_plan(chief, author=people["kyuyo_clerk"], owner_id=None)
    assert not access.can_view_plan(chief, author=people["dx_clerk"], owner_id=None)
