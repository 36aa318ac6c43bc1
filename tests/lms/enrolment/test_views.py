"""HR's assignment screen: only HR, a valid form fans out, cancel withdraws."""

import pytest
from django.urls import reverse

from lms.models import Assignment, AssignmentStatus, Enrollment
from org.models import RoleGroup
from org.people import EmploymentType
from tests.factories import UserFactory
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = make_city()
    city["hr"] = UserFactory(groups=[RoleGroup.HR])
    return city


def test_only_hr(client, city):
    client.force_login(city["people"]["madoguchi"][0])
    assert client.get(reverse("lms:assignments")).status_code == 403


def test_assign_then_cancel(client, city, django_capture_on_commit_callbacks):
    client.force_login(city["hr"])
    assert client.get(reverse("lms:assignments")).status_code == 200
    values = dates()
    data = {
        "course": city["course"].pk,
        "fiscal_year": values["fiscal_year"],
        "units": [city["tree"]["soumu"].pk],
        "employment_types": [EmploymentType.REGULAR],
        "opens_on": values["opens_on"].isoformat(),
        "due_on": values["due_on"].isoformat(),
        "mandatory": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lms:assignments"), data)
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.created_by == city["hr"]
    assert Enrollment.objects.filter(assignment=assignment).count() == 4
    page = client.get(reverse("lms:assignments"))
    assert "<progress" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lms:assignment_cancel", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CANCELLED


def test_bad_dates_change_nothing(client, city):
    client.force_login(city["hr"])
    values = dates()
    response = client.post(
        reverse("lms:assignments"),
        {
            "course": city["course"].pk,
            "fiscal_year": values["fiscal_year"],
            "opens_on": values["due_on"].isoformat(),
            "due_on": values["opens_on"].isoformat(),
        },
    )
    assert response.status_code == 400
    assert not Assignment.objects.exists()
