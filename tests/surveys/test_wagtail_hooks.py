"""HR edits questionnaires in the CMS as snippets, with their questions inline."""

import pytest
from django.urls import reverse

from surveys.models import ItemKind, Questionnaire
from tests.factories import UserFactory, make_course

pytestmark = pytest.mark.django_db


def test_questionnaire_snippet_can_be_created_in_the_cms(client):
    course = make_course(lessons=1)["course"]
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("wagtailsnippets_surveys_questionnaire:add")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "受講後アンケート",
            "course": course.pk,
            "intro": "",
            "is_active": "on",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "1",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-text": "DXの目的が分かった",
            "items-0-kind": ItemKind.LIKERT,
            "items-0-required": "on",
            "items-0-ORDER": "1",
            "items-1-text": "最初に見直したい業務",
            "items-1-kind": ItemKind.TEXT,
            "items-1-ORDER": "2",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    questionnaire = Questionnaire.objects.get()
    assert [i.kind for i in questionnaire.items.all()] == [ItemKind.LIKERT, ItemKind.TEXT]
