"""The demo guidebook: complete, substantive, idempotent."""

import pytest

from content.models import ChapterPage, GlossaryTerm, GuidebookPage
from devtools.demo.guidebook import guidebook_seed
from tests.helpers.once import built_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_guidebook(django_db_setup, django_db_blocker) -> dict:
    """Seeded once for the module (a second and a half); each test's changes are undone."""
    with built_once(django_db_blocker, guidebook_seed) as seeded:
        yield seeded


def test_seed_creates_both_editions_once(demo_guidebook):
    assert demo_guidebook["created"]
    full = GuidebookPage.objects.get(slug="full")
    summary = GuidebookPage.objects.get(slug="summary")
    assert full.chapters().count() >= 10
    assert 4 <= summary.chapters().count() <= 6
    assert guidebook_seed()["created"] is False
    assert GuidebookPage.objects.count() == 2


def test_chapters_are_substantive_and_use_the_blocks(demo_guidebook):
    kinds = set()
    for chapter in ChapterPage.objects.live():
        assert len(chapter.plain_text) >= 300, chapter.title
        assert chapter.title_en and chapter.summary_en
        kinds |= {child.block_type for child in chapter.body}
    assert {
        "heading",
        "paragraph",
        "callout",
        "figure",
        "table",
        "key_terms",
        "check_yourself",
    } <= kinds
    assert GlossaryTerm.objects.count() >= 10


def test_figures_have_alt_text_and_render(client, demo_guidebook):
    chapter = ChapterPage.objects.get(slug="why-before-how")
    figure = next(child for child in chapter.body if child.block_type == "figure")
    assert figure.value["alt_text"]
    html = client.get(chapter.url).text
    assert f'alt="{figure.value["alt_text"]}"' in html


def test_every_demo_page_renders(client, demo_guidebook):
    for page in [*GuidebookPage.objects.live(), *ChapterPage.objects.live()]:
        assert client.get(page.url).status_code == 200, page.url
