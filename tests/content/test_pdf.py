"""The whole edition as one PDF with Japanese text."""

import io

import pytest
from pypdf import PdfReader

from content.models import GuidebookPage
from tests.helpers.fonts import pdf_text, print_without_system_fonts

pytestmark = pytest.mark.django_db


def _text(pdf_bytes: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "")


def test_edition_pdf_contains_every_chapter_title(client, demo_guidebook):
    edition = GuidebookPage.objects.get(slug="summary")
    response = client.get(f"/guide/editions/{edition.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF")
    text = _text(body)
    for chapter in edition.chapters():
        assert chapter.title.replace(" ", "") in text, chapter.title
    # served from the cache the second time: same bytes
    assert client.get(f"/guide/editions/{edition.pk}/pdf/").content == body


def test_pdf_of_an_edition_without_chapters_is_404(client, index_page):
    edition = GuidebookPage(title="空の版", slug="empty")
    index_page.add_child(instance=edition)
    edition.save_revision().publish()
    assert client.get(f"/guide/editions/{edition.pk}/pdf/").status_code == 404
    assert client.get("/guide/editions/999999/pdf/").status_code == 404


def test_edition_pdf_prints_japanese_on_a_machine_without_japanese_fonts(
    client, demo_guidebook, monkeypatch, tmp_path
):
    """The font comes with the product: printed where fontconfig knows no font at all, the
    chapter titles and their text are still Japanese text, not boxes (.notdef glyphs)."""
    print_without_system_fonts(monkeypatch, tmp_path)
    edition = GuidebookPage.objects.get(slug="summary")
    response = client.get(f"/guide/editions/{edition.pk}/pdf/")
    assert response.status_code == 200
    text = pdf_text(response.content)
    chapter = edition.chapters().specific().first()
    assert chapter.title.replace(" ", "") in text
    assert chapter.summary, "the demo chapter has a summary, printed as its lead"
    assert chapter.summary.replace(" ", "")[:40] in text
    assert "目次" in text


def test_the_pdf_link_says_the_pdf_is_being_prepared(client, demo_guidebook):
    """The first PDF of an edition takes 2-3 s: the link carries the message that
    js/pdf-link.js puts in its live region while the PDF is made, and stays a plain link."""
    edition = GuidebookPage.objects.get(slug="summary")
    page = client.get(edition.url).text
    link = f'href="/guide/editions/{edition.pk}/pdf/" data-pdf-link'
    assert link in page
    assert 'data-pdf-preparing="PDFを作成しています…"' in page
    assert '<span class="pdf-status" role="status" aria-live="polite"></span>' in page
    assert 'src="/static/js/pdf-link.js" defer' in page
