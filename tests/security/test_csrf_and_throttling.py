"""CSRF on every URL that takes a POST, and the sign-in lockout (django-axes).

For every row of the permission matrix, a client that enforces CSRF checks, signed in as a
viewer the matrix lets through, POSTs without a token: Django's CSRF failure (403) must come
back before any view runs, for forms and JSON endpoints alike. Only Wagtail's own endpoints
may differ, and none does.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from lms.models import User
from tests.factories import UserFactory

from .test_permission_matrix import MATRIX, VIEWERS, _objects

PASSWORD = "correct-horse-battery"


def _allowed_viewer(row) -> str:
    """The first viewer the matrix lets through (a 2xx or a redirect that is not to sign in)."""
    statuses = row.statuses()
    for viewer in VIEWERS[1:]:
        if statuses[viewer] in (200, 204, 302) and statuses[viewer] != 403:
            return viewer
    return "anon"


@pytest.mark.django_db
def test_every_post_without_a_token_is_refused():
    objects = _objects()
    problems = []
    seen = set()
    for row in MATRIX:
        url = row.url(objects)
        if url in seen:
            continue
        seen.add(url)
        client = Client(enforce_csrf_checks=True)
        viewer = _allowed_viewer(row)
        if objects["viewers"][viewer] is not None:
            client.force_login(objects["viewers"][viewer])
        data = row.data(objects)
        if row.json:
            response = client.post(url, json.dumps(data), content_type="application/json")
        else:
            response = client.post(url, data)
        # The refused-form page (config.errors.csrf_failure), not a permission refusal.
        refused_form = "403_csrf.html" in [t.name for t in response.templates]
        if response.status_code != 403 or not refused_form:
            problems.append(f"{row.name} {url} as {viewer}: {response.status_code}")
    assert problems == []


@pytest.mark.django_db
def test_a_post_with_the_token_gets_through():
    """The other side: the refusal above is the missing token, not the request."""
    person = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    page = client.get(reverse("lms:password_change"))
    token = page.context["csrf_token"]
    response = client.post(reverse("lms:logout"), {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302


@pytest.mark.django_db
def test_sign_in_locks_after_repeated_failures(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    person = UserFactory(employee_number="7300001", email="lock@city.example.jp")
    login = reverse("lms:login")
    for attempt in ["7300001", "７３００００１"]:  # width variants share one counter
        response = client.post(login, {"username": attempt, "password": "wrong"})
        assert response.status_code == 200  # the form again, with an error
    third = client.post(login, {"username": " 7300001 ", "password": "wrong"})
    assert third.status_code == 429  # the limit is reached: locked
    locked = client.post(login, {"username": "7300001", "password": PASSWORD})
    assert locked.status_code == 429  # even the right password, while locked
    assert "_auth_user_id" not in client.session
    # Another person from the same address is not locked out by it.
    UserFactory(employee_number="7300002")
    other = Client()
    response = other.post(login, {"username": "7300002", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in other.session
    assert User.objects.get(pk=person.pk).is_active  # a lockout does not deactivate anyone
