"""Japanese search recall on the demo guidebook: real queries, real chapters."""

import pytest

from content.japanese import parse_query
from content.models import ChapterPage
from content.search import guidebook_search

pytestmark = pytest.mark.django_db


def _titles(query):
    return [hit.title for hit in guidebook_search(query).hits]


def test_query_parsing_normalises_width_case_and_kana():
    assert parse_query("ＤＸ")[0].terms == ("dx",)
    assert parse_query("dx")[0].terms == ("dx",)
    assert [g.terms for g in parse_query("業務改善")] == [("業務",), ("改善",)]
    kana = parse_query("でじたる")[0]
    assert kana.reading == "デジタル" and kana.terms == ("デジタル",)
    assert parse_query("の") == []
    assert parse_query("   ") == []


def test_gyomu_kaizen_finds_chapters_about_business_improvement(demo_guidebook):
    titles = _titles("業務改善")
    assert "DXとは何か ― デジタル化との違い" in titles
    assert "DXプロジェクトの進め方 ― 目的から目標まで" in titles
    assert "情報セキュリティの基本" not in titles  # never mentions 業務 and 改善 together


def test_digitalka_ranks_the_chapter_about_it_first(demo_guidebook):
    results = guidebook_search("デジタル化")
    assert results.hits[0].title == "DXとは何か ― デジタル化との違い"
    assert "<mark>デジタル化</mark>" in results.hits[0].snippet or (
        "<mark>デジタル</mark>" in results.hits[0].snippet
    )


def test_full_width_dx_finds_ascii_dx(demo_guidebook):
    results = guidebook_search("ＤＸ")
    assert len(results.hits) >= 10
    assert "<mark>DX</mark>" in results.hits[0].snippet


def test_hiragana_finds_katakana(demo_guidebook):
    results = guidebook_search("でじたる")
    assert results.hits
    assert results.hits[0].title == "DXとは何か ― デジタル化との違い"
    assert "<mark>デジタル</mark>" in results.hits[0].snippet


def test_reading_of_kanji_words_in_kana(demo_guidebook):
    titles = _titles("せきゅりてぃ")
    assert titles[0] == "情報セキュリティの基本"


def test_ranking_prefers_pages_with_every_word(demo_guidebook):
    results = guidebook_search("セキュリティ 報告")
    assert not results.partial
    assert all(hit.matched == 2 for hit in results.hits)


def test_nonsense_and_empty_queries_find_nothing(demo_guidebook, client):
    assert guidebook_search("zzqqxx").hits == []
    assert not guidebook_search("の").searched
    html = client.get("/guide/search/", {"q": "zzqqxx"}).text
    assert "empty-state" in html and "zzqqxx" in html
    html = client.get("/guide/search/", {"q": ""}).text
    assert "empty-state" in html
    html = client.get("/guide/search/", {"q": "の"}).text
    assert "empty-state" in html


def test_snippet_escapes_html(demo_guidebook):
    chapter = ChapterPage.objects.get(slug="what-is-dx")
    chapter.summary = "<script>alert(1)</script> デジタル化"
    chapter.save_revision().publish()
    hit = next(h for h in guidebook_search("デジタル化").hits if h.page.pk == chapter.pk)
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet


def test_search_page_shows_highlighted_results(demo_guidebook, client):
    response = client.get("/guide/search/", {"q": "業務改善"})
    assert response.status_code == 200
    assert "<mark>" in response.text
    assert "/guide/full/running-a-project/" in response.text


def test_search_query_count_is_fixed(demo_guidebook, django_assert_max_num_queries):
    """Cold: the cached vocabulary is built (index words, glossary, city vocabulary). Warm:
    the pages, their editions, and the specific pages (one query per page type), however
    many hits."""
    with django_assert_max_num_queries(9):
        guidebook_search("業務改善")
    for query in ("業務改善", "ハンコ", "DX"):
        with django_assert_max_num_queries(6):
            results = guidebook_search(query)
            [(hit.page.specific.display_title, hit.edition_label) for hit in results.hits]


def test_search_page_query_count_does_not_grow_with_hits(
    demo_guidebook, client, django_assert_max_num_queries
):
    client.get("/guide/search/", {"q": "DX"})
    with django_assert_max_num_queries(8):
        response = client.get("/guide/search/", {"q": "DX"})
    assert response.text.count('class="search-result card"') >= 10
