"""The search index follows the page tree: publish, unpublish, drafts, a full rebuild."""

import pytest

from content import lexicon
from content.models import SearchEntry
from content.search import guidebook_search
from content.services import search_index_rebuild

pytestmark = pytest.mark.django_db


def test_index_follows_publish_and_unpublish(chapters):
    chapter = chapters[2]
    assert SearchEntry.objects.filter(page=chapter).exists()
    assert guidebook_search("パスワード").hits
    chapter.unpublish()
    assert not SearchEntry.objects.filter(page=chapter).exists()
    assert not guidebook_search("パスワード").hits
    chapter.save_revision().publish()
    assert guidebook_search("パスワード").hits


def test_drafts_are_not_searchable(chapters):
    assert not SearchEntry.objects.filter(page__slug="draft").exists()


def test_rebuild(chapters):
    SearchEntry.objects.all().delete()
    assert search_index_rebuild() >= 4
    assert guidebook_search("照合").hits[0].title == "第二章 SVO"


def test_glossary_readings_of_key_terms_are_indexed(chapters, term):
    entry = SearchEntry.objects.get(page=chapters[0])
    assert "エスブイオー" in entry.readings
    term.reading = "えすぶいおう"
    term.save()  # the glossary changed: the cached vocabulary is dropped
    assert lexicon.current().equivalents("えすぶいおう") == ["SVO"]
