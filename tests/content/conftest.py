"""Fixtures of the guidebook tests: a small edition built in code, and the demo guidebook."""

import pytest

from content.models import ChapterPage, GlossaryTerm, GuidebookIndexPage, GuidebookPage
from tests.helpers.guidebook import make_chapter
from tests.helpers.once import built_once


@pytest.fixture
def index_page(db) -> GuidebookIndexPage:
    """Created by the content app's data migration."""
    return GuidebookIndexPage.objects.get(slug="guide")


@pytest.fixture
def term(db) -> GlossaryTerm:
    return GlossaryTerm.objects.create(
        term="SVO", reading="えすぶいおー", slug="svo", definition="主語・述語・目的語で書く方法。"
    )


@pytest.fixture
def edition(index_page, term) -> GuidebookPage:
    """An edition with three live chapters and one draft."""
    edition = GuidebookPage(title="テスト版", slug="test-edition", edition="full", fiscal_year=2026)
    index_page.add_child(instance=edition)
    edition.save_revision().publish()
    make_chapter(
        edition,
        title="第一章 DXとは",
        slug="one",
        body=[
            {
                "type": "heading",
                "value": {"text": "デジタル化との違い", "level": "2", "anchor": ""},
            },
            {"type": "paragraph", "value": "<p>デジタル化は手段であり、業務改善が目的です。</p>"},
            {"type": "key_terms", "value": {"title": "", "terms": [term.pk]}},
        ],
    )
    make_chapter(
        edition,
        title="第二章 SVO",
        slug="two",
        body=[
            {"type": "heading", "value": {"text": "書き方", "level": "2", "anchor": "how-to"}},
            {"type": "paragraph", "value": "<p>窓口担当が申請書を照合する。</p>"},
        ],
    )
    make_chapter(
        edition,
        title="第三章 セキュリティ",
        slug="three",
        body=[
            {"type": "paragraph", "value": "<p>パスワードを使い回さない。</p>"},
        ],
    )
    make_chapter(edition, title="下書きの章", slug="draft", body=[], publish=False)
    return GuidebookPage.objects.get(pk=edition.pk)


@pytest.fixture
def chapters(edition) -> list[ChapterPage]:
    return list(ChapterPage.objects.child_of(edition).live().order_by("path"))


@pytest.fixture(scope="module")
def demo_guidebook(django_db_setup, django_db_blocker) -> dict:
    """The demo guidebook, seeded once for the module (it takes a second and a half)."""
    from devtools.demo.guidebook import guidebook_seed

    with built_once(django_db_blocker, guidebook_seed) as seeded:
        yield seeded
