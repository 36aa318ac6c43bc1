"""The checker's word lists: the data files, extended by editors in the CMS and merged at
check time; saving the setting takes effect on the next check (the cache is cleared)."""

import pytest
from django.urls import reverse

from courses.models import SvoCheckerWords
from courses.svo import lexicon
from courses.svo.checker import check_codes
from org.models import RoleGroup
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("svo_model")]

STATEMENT = {
    "subject": "市民課窓口担当職員",
    "object": "住民票の写し交付申請書",
    "why": "住民が必要な証明書を一度の来庁で受け取れるようにするため",
}


def test_every_list_file_is_read_and_commented():
    words = lexicon.file_words()
    assert set(words) == set(lexicon.LISTS)
    assert all(words[name] for name in lexicon.LISTS)
    assert "調整" in words["vague_verbs"]  # our guidebook names 調整する as vague
    assert all(not word.startswith("#") for name in words for word in words[name])


def test_words_added_in_the_cms_are_used_on_the_next_check():
    assert check_codes(**STATEMENT, verb="捌く") == []
    idea = {"verb": "確認する", "how": "ダッシュボードで案内を見直す"}
    assert check_codes(**STATEMENT, **idea) == ["how_vague"]
    setting = SvoCheckerWords.load()
    setting.vague_verbs = "# 窓口でよく使う言い回し\n捌く\n"
    setting.how_means = "ダッシュボード"
    setting.save()
    assert check_codes(**STATEMENT, verb="捌く") == ["verb_vague"]
    assert check_codes(**STATEMENT, **idea) == []


def test_without_a_setting_the_files_alone_are_used(django_assert_num_queries):
    lexicon.clear_cache()
    with django_assert_num_queries(1):
        first = lexicon.current()
    with django_assert_num_queries(0):  # cached
        assert lexicon.current() == first == lexicon.build()


def test_an_editor_changes_the_words_in_the_cms(client):
    editor = UserFactory(groups=[RoleGroup.EDITORS])
    client.force_login(editor)
    setting = SvoCheckerWords.load()
    url = reverse("wagtailsettings:edit", args=["courses", "svocheckerwords", setting.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "あいまいな動詞" in page.text  # the field's Japanese label
    fields = {name: "" for name in lexicon.EDITABLE}
    assert client.post(url, {**fields, "vague_verbs": "捌く"}).status_code == 302
    assert check_codes(**STATEMENT, verb="捌く") == ["verb_vague"]
    client.force_login(UserFactory())  # a learner may not
    assert client.get(url).status_code in {302, 403}
