"""The guidebook search knows what staff mean: synonyms, the city's vocabulary, glossary
readings, compounds, katakana typos, editions and word highlighting (issue 19, point 4)."""

import pytest
from django.core.exceptions import ValidationError

from content import lexicon
from content.japanese import parse_query
from content.models import CityVocabulary
from content.search import guidebook_search

pytestmark = pytest.mark.django_db


def _slugs(query):
    return [hit.page.slug for hit in guidebook_search(query).hits]


@pytest.mark.parametrize("query", ["ハンコ", "印鑑", "はんこ", "捺印"])
def test_words_for_a_seal_find_the_chapter_about_押印(demo_guidebook, query):
    results = guidebook_search(query)
    assert results.hits[0].page.slug == "why-before-how"
    assert "<mark>押印</mark>" in results.hits[0].snippet


@pytest.mark.parametrize(
    ("query", "slug", "marked"),
    [
        ("ペーパーレス", "small-wins", "紙を減らす"),
        ("RPA", "small-wins", "ソフトウェアロボット"),
        ("マイナンバー", "national-plan", "個人番号カード"),
        ("ChatGPT", "start-small", "生成AI"),
        ("paperless", "small-wins", "紙を減らす"),
    ],
)
def test_staff_words_find_what_the_guidebook_says_otherwise(demo_guidebook, query, slug, marked):
    hits = guidebook_search(query).hits
    assert slug in [hit.page.slug for hit in hits[:2]]
    hit = next(hit for hit in hits if hit.page.slug == slug)
    assert f"<mark>{marked}</mark>" in hit.snippet


def test_a_word_in_no_page_and_no_vocabulary_still_finds_nothing(demo_guidebook):
    assert guidebook_search("テレポーテーション").hits == []
    assert guidebook_search("zzqqxx").hits == []


def test_editors_vocabulary_applies_on_save_and_stops_on_delete(demo_guidebook):
    assert guidebook_search("ワンストップ").hits == []
    group = CityVocabulary(terms="ワンストップ\n個人番号カード\n", note="窓口の言い方")
    group.full_clean()
    group.save()
    assert _slugs("ワンストップ")[:1] == ["national-plan"]
    group.delete()
    assert guidebook_search("ワンストップ").hits == []


def test_vocabulary_groups_need_two_terms_of_reasonable_length(db):
    with pytest.raises(ValidationError) as error:
        CityVocabulary(terms="ハンコ\n\n ハンコ ").full_clean()
    assert "terms" in error.value.message_dict
    with pytest.raises(ValidationError):
        CityVocabulary(terms="押印\n" + "長" * 61).full_clean()
    group = CityVocabulary(terms=" ハンコ \n押印\n\n印鑑")
    group.full_clean()
    assert group.terms == "ハンコ\n押印\n印鑑"
    assert str(group) == "ハンコ = 押印 = 印鑑"


def test_the_seeded_vocabulary_has_the_issues_examples(db):
    terms = {term for group in CityVocabulary.objects.all() for term in group.term_list()}
    assert {"ハンコ", "押印", "印鑑", "ペーパーレス", "RPA", "マイナンバー", "生成AI"} <= terms
    assert {"ChatGPT", "paperless", "digital transformation"} <= terms


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("えすぶいおー", {"svo", "svo-and-why"}),
        ("ばんそうしゃ", {"dx-pro", "not-alone"}),
        ("けーぴーあい", {"running-a-project"}),
        ("critical path", {"why-before-how"}),
    ],
)
def test_glossary_terms_are_found_by_their_reading_and_english(demo_guidebook, query, slugs):
    assert set(_slugs(query)[:2]) & slugs


def test_a_word_inside_a_longer_compound_finds_it(demo_guidebook):
    results = guidebook_search("クリティカル")
    assert results.hits[0].page.slug == "why-before-how"
    assert "<mark>クリティカルパス</mark>" in results.hits[0].snippet


class _Words:
    """A lexicon with a fixed vocabulary and no synonyms."""

    phrases = frozenset()

    def __init__(self, *words):
        self.vocabulary = dict.fromkeys(words, 1)

    def equivalents(self, word):
        return []

    def containing(self, term):
        return [w for w in self.vocabulary if term in w and w != term]

    def correction(self, word):
        return ""


def test_fallback_to_the_longer_compound_only_when_the_word_is_in_no_page():
    group = parse_query("番号", _Words("個人番号", "番号札"))[0]
    assert group.terms == ("番号",)
    assert set(group.alternatives) == {("個人番号",), ("番号札",)}
    assert parse_query("番号", _Words("番号", "個人番号"))[0].alternatives == ()


def test_query_words_are_analysed_in_context_and_affixes_stay_with_their_word():
    assert [g.terms for g in parse_query("自治体DX推進")] == [("自治", "体"), ("dx",), ("推進",)]
    assert [g.terms for g in parse_query("デジタル化")] == [("デジタル", "化")]


@pytest.mark.parametrize(
    ("typed", "meant", "slug"),
    [
        ("クラウト", "クラウド", "security"),
        ("パスワート", "パスワード", "security"),
        ("ワークシーチ", "ワークシート", "dx-pro"),
    ],
)
def test_one_katakana_typo_is_corrected_and_said(demo_guidebook, client, typed, meant, slug):
    results = guidebook_search(typed)
    assert results.corrections == [(typed, meant)]
    assert slug in [hit.page.slug for hit in results.hits[:2]]
    html = client.get("/guide/search/", {"q": typed}).text
    assert "search-correction" in html and typed in html and meant in html


def test_two_typos_or_short_words_are_not_guessed(demo_guidebook):
    assert guidebook_search("クラウトサービ").corrections == []
    assert not lexicon.current().correction("カート")  # three letters: too short to guess


def test_results_say_which_edition_they_come_from(demo_guidebook, client):
    hits = guidebook_search("SVO").hits
    editions = {hit.page.slug: hit.edition for hit in hits}
    assert editions["svo"] == "full" and editions["svo-and-why"] == "summary"
    html = client.get("/guide/search/", {"q": "SVO"}, HTTP_ACCEPT_LANGUAGE="ja").text
    assert 'search-result__edition--summary">概要版<' in html
    assert 'search-result__edition--full">本編<' in html


@pytest.mark.parametrize("query", ["デジタル化", "自治体", "申請書", "内製化"])
def test_single_characters_are_never_marked_alone(demo_guidebook, query):
    hits = guidebook_search(query).hits
    assert hits
    for hit in hits:
        assert "<mark>" in hit.snippet
        for part in str(hit.snippet).split("<mark>")[1:]:
            assert len(part.split("</mark>")[0]) >= 2, (query, hit.snippet)


def test_one_character_query_word_is_marked(demo_guidebook):
    hit = guidebook_search("紙").hits[0]
    assert "<mark>紙</mark>" in hit.snippet


def test_sudachi_synonyms_expand_from_unambiguous_words_only(db):
    words = lexicon.current()
    assert "個人番号" in words.equivalents("マイナンバー")
    assert "印鑑" in words.equivalents("ハンコ")
    assert "印鑑" not in words.equivalents("スタンプ")  # ambiguous: never a trigger


def test_one_edit_apart():
    assert lexicon.one_edit_apart("クラウト", "クラウド")
    assert lexicon.one_edit_apart("パスワド", "パスワード")
    assert lexicon.one_edit_apart("パスワードー", "パスワード")
    assert not lexicon.one_edit_apart("クラウド", "クラウド")
    assert not lexicon.one_edit_apart("クラウト", "グラウンド")


def test_the_page_says_which_other_words_were_searched(demo_guidebook, client):
    results = guidebook_search("ハンコ")
    assert "押印" in results.also_searched
    assert "スタンプ" not in results.also_searched  # in no page: not claimed
    html = client.get("/guide/search/", {"q": "ハンコ"}, HTTP_ACCEPT_LANGUAGE="ja").text
    assert "同じ意味の言葉でも検索しました" in html
    assert '<span class="search-also__word">押印</span>' in html
    assert guidebook_search("押印").hits  # the page's own word: nothing else to say
    assert "search-also" not in client.get("/guide/search/", {"q": "転入届"}).text
