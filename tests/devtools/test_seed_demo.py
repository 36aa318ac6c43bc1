"""``seed_demo`` and ``devtools.demo``: the demo city's shape, its gaps, its accounts, re-runs."""

import re
import time
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse
from wagtail.models import Site

from core.fiscal import current_fiscal_year
from devtools.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    demo_city_plan,
    demo_city_seed,
    minimum_staff,
)
from lms.models import User
from org import access
from org.models import DxProAssignment, OrgUnit, OrgUnitKind
from org.people import EmploymentType, Position

pytestmark = pytest.mark.django_db

SMALL = 300


@pytest.fixture
def seeded():
    return demo_city_seed(staff=SMALL, seed=7)


def test_counts(seeded):
    kinds = Counter(OrgUnit.objects.values_list("kind", flat=True))
    assert kinds == {
        OrgUnitKind.DEPARTMENT: seeded["departments"],
        OrgUnitKind.SECTION: seeded["sections"],
        OrgUnitKind.UNIT: seeded["units"],
    }
    assert seeded["departments"] == 10
    assert 38 <= seeded["sections"] <= 45
    assert 85 <= seeded["units"] <= 95
    assert User.objects.filter(is_active=True).count() == SMALL == seeded["staff"]
    assert User.objects.filter(is_active=False).count() == seeded["inactive"] == SMALL // 100
    fixed_term = User.objects.filter(employment_type=EmploymentType.FIXED_TERM).count()
    assert 0.15 * SMALL <= fixed_term <= 0.2 * SMALL
    assert User.objects.filter(employment_type=EmploymentType.REAPPOINTED).exists()
    assert seeded["created"] == {
        "units": seeded["departments"] + seeded["sections"] + seeded["units"],
        "people": SMALL + SMALL // 100,
        "dx_pro_assignments": seeded["dx_pros"],
    }


def test_tree_shape_and_heads(seeded):
    assert OrgUnit.find_problems() == ([], [], [], [], [])
    expected_parent = {
        OrgUnitKind.SECTION: OrgUnitKind.DEPARTMENT,
        OrgUnitKind.UNIT: OrgUnitKind.SECTION,
    }
    by_path = {unit.path: unit for unit in OrgUnit.objects.all()}
    for unit in by_path.values():
        if unit.kind == OrgUnitKind.DEPARTMENT:
            assert unit.depth == 1
        else:
            parent = by_path[unit.path[: -OrgUnit.steplen]]
            assert parent.kind == expected_parent[unit.kind], unit
            assert unit.code.startswith(parent.code.rstrip("0")[: len(unit.code) - 2])
        assert re.fullmatch(r"\d{6}", unit.code)
    assert {u.name for u in by_path.values() if u.depth == 1} >= {
        "総務部",
        "市民生活部",
        "健康福祉部",
    }
    soumu = OrgUnit.objects.get(name="総務部")
    jinji = OrgUnit.objects.get(name="人事課")
    assert jinji.get_parent() == soumu
    assert OrgUnit.objects.get(name="人事係").get_parent() == jinji

    heads = Counter(User.objects.filter(is_active=True).values_list("unit__kind", "position"))
    assert heads[(OrgUnitKind.DEPARTMENT, Position.DIRECTOR)] == seeded["departments"]
    assert heads[(OrgUnitKind.SECTION, Position.SECTION_CHIEF)] == seeded["sections"]
    assert heads[(OrgUnitKind.UNIT, Position.UNIT_CHIEF)] == seeded["units"]
    # Every 係 has its 係長; nobody is left without a unit.
    chiefs = Counter(
        User.objects.filter(position=Position.UNIT_CHIEF).values_list("unit_id", flat=True)
    )
    assert set(chiefs.values()) == {1}
    assert len(chiefs) == seeded["units"]
    assert not User.objects.filter(unit__isnull=True).exists()


def test_people_look_like_city_staff(seeded):
    people = list(User.objects.exclude(employee_number__startswith="9"))
    for person in people:
        assert re.fullmatch(r"\S+ \S+", person.display_name)
        assert re.fullmatch(r"[ァ-ヶー]+ [ァ-ヶー]+", person.kana)
        assert re.fullmatch(r"[a-z-]+\d*@city\.example\.jp", person.email)
        assert re.fullmatch(r"1\d{6}", person.employee_number)
        assert not person.has_usable_password()  # they would set it via the reset e-mail
    assert len({p.email for p in people}) == len(people)
    positions = Counter(p.position for p in people)
    for position in (Position.CLERK, Position.SENIOR_STAFF, Position.OTHER):
        assert positions[position] > 0
    assert positions[Position.ENGINEER] > 0


def test_most_sections_have_a_dx_pro_and_a_few_do_not(seeded):
    year = current_fiscal_year()
    sections = OrgUnit.objects.filter(kind=OrgUnitKind.SECTION).annotate(
        pros=Count("dx_pro_assignments")
    )
    without = sorted(s.name for s in sections if s.pros == 0)
    assert len(without) == 5
    assert sorted(name.split(" ")[-1] for name in seeded["sections_without_dx_pro"]) == without
    assert seeded["sections_with_dx_pro"] == sections.count() - 5
    for assignment in DxProAssignment.objects.select_related("user__unit", "unit"):
        assert assignment.fiscal_year == year
        # The DX PRO sits in the section they lead (in one of its 係).
        assert assignment.user.unit.path.startswith(assignment.unit.path)
        assert assignment.user.is_active


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=[a.role for a in DEMO_ACCOUNTS])
def test_every_demo_account_can_sign_in(client, seeded, account):
    response = client.post(
        reverse("lms:login"),
        {"username": account.employee_number, "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == reverse("lms:my_training")
    client.logout()
    email = next(a["email"] for a in seeded["accounts"] if a["role"] == account.role)
    response = client.post(reverse("lms:login"), {"username": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_demo_accounts_hold_their_roles(client, seeded):
    users = {a.role: User.objects.get(employee_number=a.employee_number) for a in DEMO_ACCOUNTS}
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert access.is_hr(users["hr"]) and not users["hr"].is_superuser
    assert access.is_editor(users["editor"]) and not access.is_hr(users["editor"])
    assert users["manager"].position == Position.SECTION_CHIEF
    assert access.is_manager(users["manager"])
    assert access.is_dx_pro(users["dx_pro"])
    reviewer = users["reviewer"]
    assert not reviewer.is_superuser and not access.is_hr(reviewer)
    assert list(reviewer.groups.values_list("name", flat=True)) == ["DX推進課レビュー"]
    assert reviewer.unit.name == "DX推進係" and reviewer.unit.get_parent().name == "DX推進課"
    staff = users["staff"]
    assert not (access.is_hr(staff) or access.is_manager(staff) or access.is_dx_pro(staff))
    assert all(user.unit_id for user in users.values())
    # The 課長 is the only one of the section; the staff account sits in it.
    section = users["manager"].unit
    assert User.objects.filter(unit=section, position=Position.SECTION_CHIEF).count() == 1
    assert staff.unit.get_parent() == section
    # And the roster page follows: the manager sees their section, the staff account nothing.
    client.force_login(users["manager"])
    response = client.get(reverse("org:roster"))
    assert response.status_code == 200
    assert [node["name"] for node in response.context["tree"]] == [section.name]
    client.force_login(staff)
    assert client.get(reverse("org:roster")).status_code == 403


def test_second_run_changes_nothing(seeded):
    before = {
        "users": sorted(User.objects.values_list("pk", "employee_number", "password", "unit_id")),
        "units": sorted(OrgUnit.objects.values_list("pk", "path", "code", "name", "numchild")),
        "dx": sorted(DxProAssignment.objects.values_list("pk", "user_id", "unit_id")),
        "groups": sorted(User.groups.through.objects.values_list("pk", "user_id", "group_id")),
    }
    again = demo_city_seed(staff=SMALL, seed=7)
    assert again["created"] == {"units": 0, "people": 0, "dx_pro_assignments": 0}
    after = {
        "users": sorted(User.objects.values_list("pk", "employee_number", "password", "unit_id")),
        "units": sorted(OrgUnit.objects.values_list("pk", "path", "code", "name", "numchild")),
        "dx": sorted(DxProAssignment.objects.values_list("pk", "user_id", "unit_id")),
        "groups": sorted(User.groups.through.objects.values_list("pk", "user_id", "group_id")),
    }
    assert after == before
    assert {k: v for k, v in again.items() if k != "created"} == {
        k: v for k, v in seeded.items() if k != "created"
    }


def test_same_seed_same_city_other_seed_other_people():
    one, two = demo_city_plan(staff=SMALL, seed=1), demo_city_plan(staff=SMALL, seed=1)
    assert one == two
    other = demo_city_plan(staff=SMALL, seed=2)
    assert [u.code for u in other.units] == [u.code for u in one.units]
    assert [p.display_name for p in other.people] != [p.display_name for p in one.people]


def test_too_small_a_city_is_refused():
    with pytest.raises(ValueError, match=str(minimum_staff())):
        demo_city_seed(staff=minimum_staff() - 1)
    with pytest.raises(CommandError):
        call_command("seed_demo", staff=10, stdout=StringIO())
    assert not User.objects.exists()


def test_command_prints_the_accounts(settings):
    # The demo serves on another port than migrate saw: the command moves Wagtail's site too.
    settings.SITE_URL = "http://127.0.0.1:8123"
    out = StringIO()
    call_command("seed_demo", staff=minimum_staff(), seed=3, stdout=out)
    text = out.getvalue()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    assert "Site address (SITE_URL, also Wagtail's default site): http://127.0.0.1:8123" in text
    for account in DEMO_ACCOUNTS:
        line = next(line for line in text.splitlines() if line.startswith(account.role + " "))
        assert account.employee_number in line
        assert DEMO_PASSWORD in line
        assert "@city.example.jp" in line
        assert " ".join(account.unit_path) in line
    assert "none yet in:" in text
    call_command("seed_demo", staff=minimum_staff(), seed=3, stdout=(out := StringIO()))
    assert "Created this run: 0 units, 0 people, 0 DX PRO appointments" in out.getvalue()


def test_command_refuses_production_settings(settings):
    settings.SETTINGS_MODULE = "config.settings.production"
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_default_size_city_is_quick():
    started = time.monotonic()
    result = demo_city_seed()
    elapsed = time.monotonic() - started
    assert result["staff"] == User.objects.filter(is_active=True).count() == 800
    assert (result["departments"], result["sections"], result["units"]) == (10, 42, 89)
    assert len(result["sections_without_dx_pro"]) == 5
    assert elapsed < 20
    # Rank and file far outnumber the heads in a city of this size.
    positions = Counter(User.objects.values_list("position", flat=True))
    heads = sum(
        positions[p] for p in (Position.DIRECTOR, Position.SECTION_CHIEF, Position.UNIT_CHIEF)
    )
    rank_and_file = sum(
        positions[p] for p in (Position.SENIOR_STAFF, Position.CLERK, Position.ENGINEER)
    )
    assert rank_and_file > 2 * heads
