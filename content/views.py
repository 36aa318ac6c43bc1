"""Views of the guidebook that are not pages: search, glossary, reading reports, PDF.

Thin: each parses the request, calls a selector or service and renders.
"""

from __future__ import annotations

import json

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .models import ChapterPage, GlossaryTerm, GuidebookIndexPage, GuidebookPage
from .search import guidebook_search as run_search
from .services import chapter_read_record

#: One reading report per person and chapter in this many seconds.
READ_THROTTLE_SECONDS = 10
MAX_QUERY_LENGTH = 100


def _index_page() -> GuidebookIndexPage | None:
    return GuidebookIndexPage.objects.live().first()


@require_GET
def guidebook_search(request: HttpRequest) -> HttpResponse:
    """/guide/search/?q=: Japanese-aware search over live guidebook pages."""
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    results = run_search(query) if query else None
    return render(
        request,
        "content/search.html",
        {"query": query, "results": results, "index_page": _index_page()},
    )


@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    """/guide/glossary/: every term with its definition, in kana order."""
    return render(
        request,
        "content/glossary.html",
        {"terms": GlossaryTerm.objects.all(), "index_page": _index_page()},
    )


def _json_error(message: str, status: int, **headers: str) -> JsonResponse:
    response = JsonResponse({"ok": False, "error": message}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


@require_POST
def chapter_read(request: HttpRequest, page_id: int) -> JsonResponse:
    """The reading script reports active time and whether the end was reached.

    Signed-in readers only (anonymous reading is never recorded); CSRF-protected by the
    middleware; one report per person and chapter every READ_THROTTLE_SECONDS.
    """
    if not request.user.is_authenticated:
        return _json_error(_("Sign in to record your reading."), 403)
    chapter = ChapterPage.objects.live().public().filter(pk=page_id).first()
    if chapter is None:
        return _json_error(_("No such chapter."), 404)
    try:
        payload = json.loads(request.body or b"{}")
        seconds = int(payload.get("seconds_active", 0))
        reached_end = payload.get("reached_end", False)
        if not isinstance(reached_end, bool) or seconds < 0:
            raise ValueError
    except (ValueError, TypeError, AttributeError):
        return _json_error(_("The report could not be read."), 400)
    throttle_key = f"content:chapter-read:{request.user.pk}:{chapter.pk}"
    if not cache.add(throttle_key, 1, timeout=READ_THROTTLE_SECONDS):
        return _json_error(
            _("Too many reports; try again shortly."),
            429,
            **{"Retry-After": str(READ_THROTTLE_SECONDS)},
        )
    record = chapter_read_record(
        user=request.user, page=chapter, seconds_active=seconds, reached_end=reached_end
    )
    return JsonResponse(
        {"ok": True, "active_seconds": record.active_seconds, "reached_end": record.reached_end}
    )


@require_GET
def guidebook_pdf(request: HttpRequest, page_id: int) -> HttpResponse:
    """The whole edition as one PDF, Japanese fonts embedded."""
    edition = get_object_or_404(GuidebookPage.objects.live().public(), pk=page_id)
    # WeasyPrint takes half a second to import: load it when a PDF is asked for, not at start-up.
    from . import pdf

    try:
        document = pdf.edition_pdf(edition=edition, request=request)
    except pdf.PdfUnavailable as error:
        raise Http404(str(error)) from error
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="guidebook-{edition.slug}.pdf"'
    return response
