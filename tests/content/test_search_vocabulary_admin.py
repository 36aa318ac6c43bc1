"""Editors keep the search vocabulary in the CMS, next to the glossary, in Japanese."""

import pytest

from content.models import CityVocabulary
from org.models import RoleGroup
from tests.content.test_editorial_roles import menu_labels
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/cms/snippets/content/cityvocabulary/add/"


@pytest.mark.parametrize("group", [RoleGroup.EDITORS, RoleGroup.REVIEWERS])
def test_editors_and_reviewers_see_the_search_vocabulary(client, group):
    client.force_login(UserFactory(groups=[group]))
    menu = client.get("/cms/")
    assert "検索用語" in menu_labels(menu.content.decode())
    listing = client.get("/cms/snippets/content/cityvocabulary/")
    assert listing.status_code == 200
    assert "ハンコ = 押印 = 印鑑" in listing.content.decode()


def test_editor_adds_a_group_and_a_lone_term_is_refused(client):
    client.force_login(UserFactory(groups=[RoleGroup.EDITORS]))
    refused = client.post(ADD_URL, {"terms": "ワンストップ", "note": ""})
    assert refused.status_code == 200
    assert "同じ意味の言葉を、1行に1語ずつ2語以上入力してください。" in refused.content.decode()
    response = client.post(ADD_URL, {"terms": "ワンストップ\n個人番号カード", "note": "窓口"})
    assert response.status_code == 302
    assert CityVocabulary.objects.filter(note="窓口").get().term_list() == [
        "ワンストップ",
        "個人番号カード",
    ]
