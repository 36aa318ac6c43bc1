"""The whole edition as one PDF (WeasyPrint), with Japanese fonts.

Japanese glyphs come from the font the project carries (``static/content/fonts/``, declared in
``pdf-fonts.css``), never from the machine: a server with no Japanese system font prints the
same PDF. Images, stylesheets and fonts are read from local storage only: the fetcher refuses
every other URL, so rendering never reaches the network. The finished PDF is cached until a
chapter or the edition is published again, or another build (a new font) is deployed.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from config.release import release

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import GuidebookPage

BASE_URL = "http://guidebook.pdf/"
CACHE_SECONDS = 60 * 60 * 24


class PdfUnavailable(Exception):
    """The edition has nothing to print."""


class LocalFilesFetcher(URLFetcher):
    """Serves media and static files from disk; every other URL is refused."""

    def fetch(self, url, headers=None):
        path = url.removeprefix(BASE_URL.rstrip("/"))
        local: Path | None = None
        if path.startswith(settings.MEDIA_URL):
            candidate = (Path(settings.MEDIA_ROOT) / path[len(settings.MEDIA_URL) :]).resolve()
            if candidate.is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
                local = candidate
        elif path.startswith(settings.STATIC_URL):
            found = finders.find(path[len(settings.STATIC_URL) :])
            local = Path(found) if found else None
        if local is None or not local.is_file():
            raise ValueError(f"Not a local file: {url}")
        mime_type = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
        # Answered under the URL asked for, not the file's own: a stylesheet's relative URLs
        # (its @import, the fonts of @font-face) then come back through this fetcher too.
        return URLFetcherResponse(url, local.read_bytes(), headers={"Content-Type": mime_type})


def html_to_pdf(html: str) -> bytes:
    """Print an HTML document of this product (its stylesheets, fonts and images are static or
    media files) to PDF. Every PDF the product makes goes through here."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=LocalFilesFetcher()).write_pdf()


def _cache_key(edition: GuidebookPage) -> str:
    latest = (
        edition.get_descendants(inclusive=True)
        .live()
        .aggregate(latest=Max("last_published_at"))["latest"]
    )
    stamp = latest.timestamp() if latest else 0
    return f"content:edition-pdf:{edition.pk}:{stamp}:{release()}"


def edition_pdf(*, edition: GuidebookPage, request: HttpRequest | None = None) -> bytes:
    """Render ``edition`` and all its live chapters as one PDF document."""
    chapters = list(edition.chapters().specific())
    if not chapters:
        raise PdfUnavailable("The edition has no published chapters.")
    key = _cache_key(edition)
    document = cache.get(key)
    if document is None:
        html = render_to_string(
            "content/guidebook_pdf.html",
            {"edition": edition, "chapters": chapters, "generated_at": timezone.now()},
            request=request,
        )
        document = html_to_pdf(html)
        cache.set(key, document, CACHE_SECONDS)
    return document
