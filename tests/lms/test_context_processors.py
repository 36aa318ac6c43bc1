"""The page header is kept in the session: computed once, refreshed when it may be stale."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms import context_processors
from org.models import RoleGroup
from tests.lms.training import make_city

pytestmark = pytest.mark.django_db


def _get(client):
    # The page itself is kept rendered (lms.my_training.cache); these tests are about the header the
    # layout reads, so every visit here renders it.
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("lms:my_training"))
    assert response.status_code == 200
    return response, len(captured.captured_queries)


def test_header_is_computed_once_then_read_from_the_session(client):
    city = make_city()
    person = city["people"]["madoguchi"][0]
    client.force_login(person)
    first, first_queries = _get(client)
    second, second_queries = _get(client)
    assert second_queries <= first_queries - 3
    assert first.context["member"]["unit"] == second.context["member"]["unit"]
    assert city["tree"]["madoguchi"].name in second.context["member"]["unit"]


def test_a_move_refreshes_at_once_and_a_new_role_after_the_ttl(client):
    city = make_city()
    person = city["people"]["madoguchi"][0]
    client.force_login(person)
    _get(client)
    person.unit = city["tree"]["dx_kakari"]
    person.save(update_fields=["unit"])
    response, _ = _get(client)
    assert city["tree"]["dx_kakari"].name in response.context["member"]["unit"]

    person.groups.add(Group.objects.get(name=RoleGroup.HR))
    response, _ = _get(client)
    assert response.context["member"]["is_hr"] is False  # kept for HEADER_TTL seconds
    session = client.session
    session[context_processors.SESSION_KEY]["until"] = 0
    session.save()
    response, _ = _get(client)
    assert response.context["member"]["is_hr"] is True
