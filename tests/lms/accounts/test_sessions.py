"""A roster import that deactivates someone ends their sessions at once (issue 16, item 5).

Nothing is mocked: HR uploads a full roster through the import screens and applies it; the
people it leaves out were signed in, in their own browsers, by password or by an activation
code. Their next request is anonymous (Django's ``ModelBackend.get_user``, which both our
backends inherit, refuses inactive people), on every page; the person the roster keeps stays
signed in.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lms.accounts.activation import activation_sheet_issue
from lms.models import User
from org.models import RoleGroup, RosterImport
from tests.org.roster_files import csv_bytes, roster_line

from .activation_city import make_activation_city

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
MY_TRAINING = reverse("lms:my_training")
SIGN_IN = reverse("lms:login")


def line_for(person: User) -> dict:
    """The person's roster line as the personnel system would export it today."""
    unit = person.unit
    names = [u.name for u in unit.ancestors_and_self()]
    dept, section, kakari = [*names, "", ""][:3]
    return roster_line(
        person.employee_number, name=person.display_name, email=person.email,
        dept=dept, section=section, unit=kakari,
    )  # fmt: skip


def sign_in_with_password(person: User) -> Client:
    person.set_password(PASSWORD)
    person.save()
    browser = Client()
    response = browser.post(SIGN_IN, {"username": person.employee_number, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def sign_in_with_code(person: User, code: str) -> Client:
    browser = Client()
    browser.post(reverse("lms:activate"), {"username": person.employee_number, "code": code})
    response = browser.post(
        reverse("lms:activate_password"),
        {"new_password1": "minato-no-hikari-9", "new_password2": "minato-no-hikari-9"},
    )
    assert response.status_code == 302
    assert browser.session[BACKEND_SESSION_KEY] == "lms.accounts.backends.ActivationCodeBackend"
    return browser


def apply_full_roster(hr: Client, keep: list[User], capture) -> RosterImport:
    """HR uploads a full roster that lists only ``keep``, then applies it."""
    content = csv_bytes([line_for(person) for person in keep], encoding="cp932")
    with capture(execute=True):
        response = hr.post(
            reverse("org:roster_import_upload"),
            {"file": SimpleUploadedFile("名簿.csv", content), "full_roster": "on"},
        )
    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    page = hr.get(reverse("org:roster_import_detail", args=[roster_import.pk]))
    assert page.context["can_apply"], roster_import.status
    data = {}
    if page.context["confirm_deactivate"]:
        data["confirm_deactivate"] = roster_import.deactivated_count
    with capture(execute=True):
        hr.post(reverse("org:roster_import_apply", args=[roster_import.pk]), data)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.APPLIED
    return roster_import


def test_people_a_roster_import_deactivates_are_signed_out_at_once(
    django_capture_on_commit_callbacks,
):
    city = make_activation_city()
    stays, by_password, by_code = city["jinji_1"], city["kyuyo_1"], city["madoguchi_1"]
    # Someone with HR's rights whom the roster also drops: the HR pages close at once too.
    hr_leaver = city["jouhou_1"]
    hr_leaver.groups.add(Group.objects.get_or_create(name=RoleGroup.HR)[0])

    sheet = activation_sheet_issue(actor=city["hr"], employee_numbers=[by_code.employee_number])
    browsers = {
        "stays": sign_in_with_password(stays),
        "by_password": sign_in_with_password(by_password),
        "by_code": sign_in_with_code(by_code, sheet.slips[0].code),
        "hr_leaver": sign_in_with_password(hr_leaver),
    }
    for browser in browsers.values():
        assert browser.get(MY_TRAINING).status_code == 200
    assert browsers["hr_leaver"].get(reverse("org:roster")).status_code == 200

    hr = Client()
    hr.force_login(city["hr"])
    roster_import = apply_full_roster(hr, keep=[stays], capture=django_capture_on_commit_callbacks)
    leavers = {by_password.pk, by_code.pk, hr_leaver.pk, city["shimin_ka"].pk}
    deactivated = User.objects.filter(is_active=False, from_roster=True)
    assert set(deactivated.values_list("pk", flat=True)) >= leavers
    assert roster_import.deactivated_count == 4

    # The very next request of each person the roster dropped is anonymous, on any page.
    for name in ("by_password", "by_code", "hr_leaver"):
        response = browsers[name].get(MY_TRAINING)
        assert response.status_code == 302 and response.url.startswith(SIGN_IN), name
        assert response.wsgi_request.user.is_anonymous, name
    response = browsers["hr_leaver"].get(reverse("org:roster"))
    assert response.status_code == 302 and response.url.startswith(SIGN_IN)
    response = browsers["hr_leaver"].get(reverse("lms:activation_codes"))
    assert response.status_code == 302 and response.url.startswith(SIGN_IN)
    # Nor can they sign in again.
    again = Client().post(SIGN_IN, {"username": by_password.employee_number, "password": PASSWORD})
    assert again.status_code == 200 and not again.wsgi_request.user.is_authenticated

    # The person the roster keeps is still signed in (so the checks above can fail).
    response = browsers["stays"].get(MY_TRAINING)
    assert response.status_code == 200 and response.wsgi_request.user == stays
