"""Page tree rules and rendering of the guidebook pages."""

import pytest
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from content.models import ChapterPage, GuidebookIndexPage, GuidebookPage, HomePage
from tests.factories import UserFactory


class GuidebookTreeTests(WagtailPageTestCase):
    def test_home_page_is_the_site_root_after_migrate(self):
        site = Site.objects.get(is_default_site=True)
        assert isinstance(site.root_page.specific, HomePage)
        assert GuidebookIndexPage.objects.child_of(site.root_page).get().url == "/guide/"

    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        # courses adds its own index under the home page; the guidebook index must be allowed
        assert GuidebookIndexPage in HomePage.allowed_subpage_models()
        assert not {GuidebookPage, ChapterPage} & set(HomePage.allowed_subpage_models())
        self.assertAllowedSubpageTypes(GuidebookIndexPage, {GuidebookPage})
        self.assertAllowedSubpageTypes(GuidebookPage, {ChapterPage})
        self.assertAllowedSubpageTypes(ChapterPage, set())
        self.assertCanCreateAt(GuidebookPage, ChapterPage)
        self.assertCanCreateAt(GuidebookIndexPage, GuidebookPage)
        self.assertCanNotCreateAt(HomePage, ChapterPage)
        self.assertCanNotCreateAt(GuidebookIndexPage, ChapterPage)
        # one home and one guidebook index only: the migration made them
        home = HomePage.objects.get()
        assert not HomePage.can_create_at(Page.objects.get(depth=1))
        assert not GuidebookIndexPage.can_create_at(home)


@pytest.mark.django_db
def test_index_edition_and_chapter_render(client, edition, chapters):
    response = client.get("/guide/")
    assert response.status_code == 200
    assert "テスト版" in response.text

    response = client.get(edition.url)
    assert response.status_code == 200
    for chapter in chapters:
        assert chapter.title in response.text
    assert "下書きの章" not in response.text
    assert f"/guide/editions/{edition.pk}/pdf/" in response.text


@pytest.mark.django_db
def test_chapter_has_toc_breadcrumbs_and_pager(client, chapters):
    first, second, third = chapters
    html = client.get(second.url).text
    assert '<h2 id="how-to" class="chapter-heading">書き方</h2>' in html
    assert 'href="#how-to"' in html  # table of contents
    assert 'aria-label="パンくずリスト"' in html or 'class="breadcrumbs"' in html
    assert f'rel="prev" href="{first.url}"' in html
    assert f'rel="next" href="{third.url}"' in html
    assert "2 / 3" in html or "Chapter 2 of 3" in html or "2" in html

    first_html = client.get(first.url).text
    assert 'id="section-1"' in first_html  # generated anchor for a heading without one
    assert 'rel="prev"' not in first_html


@pytest.mark.django_db
def test_english_titles_in_english_ui(client, chapters):
    chapter = chapters[0]
    chapter.title_en = "Chapter one: what DX is"
    chapter.save_revision().publish()
    client.post("/accounts/language/", {"language": "en", "next": "/guide/"})
    html = client.get(chapter.url, HTTP_ACCEPT_LANGUAGE="en").text
    assert "Chapter one: what DX is" in html


@pytest.mark.django_db
def test_reading_script_only_for_signed_in_readers(client, chapters):
    chapter = chapters[0]
    anonymous = client.get(chapter.url).text
    assert "reading.js" not in anonymous
    assert "data-read-url" not in anonymous

    client.force_login(UserFactory())
    signed_in = client.get(chapter.url).text
    assert "content/reading.js" in signed_in
    assert f'data-read-url="/guide/chapters/{chapter.pk}/read/"' in signed_in
    assert "<script>" not in signed_in  # no inline script (CSP)
    assert " onclick=" not in signed_in


@pytest.mark.django_db
def test_glossary_lists_terms_and_chapter_shows_tooltip(client, chapters, term):
    html = client.get(chapters[0].url).text
    assert 'role="tooltip"' in html
    assert term.definition in html
    glossary = client.get("/guide/glossary/").text
    assert f'id="term-{term.slug}"' in glossary


@pytest.mark.django_db
def test_reading_minutes_from_text_length(chapters):
    assert chapters[0].reading_minutes == 1
    chapters[0].body = [("paragraph", "あ" * 2600)]
    chapters[0]._plain_text = "あ" * 2600
    assert chapters[0].reading_minutes == 5
