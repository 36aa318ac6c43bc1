"""The SCORM lesson's two endpoints: the package's files and the runtime's saves.

``package_file`` sends a file of a package from our own origin (``/scorm/<key>/<path>``) to a
signed-in person who may see a live lesson that runs it (an editor may see any package, for
the preview). It carries a policy of its own (``SCORM_CSP_POLICY``: our origin only, inline
scripts allowed because vendors' packages need them, framed by our pages only), nosniff, and
a same-origin frame option: the lesson page frames it, nothing else may. One byte range
(``Range: bytes=...``) is answered with 206, so video in a package can seek.

``commit`` takes the runtime data of the signed-in learner's own record, CSRF-protected as a
form post (``fetch`` with ``keepalive`` or ``navigator.sendBeacon`` on unload post the same
form), and answers what scorm-again expects (``{"result": true, "errorCode": 0}``) and
whether the lesson is now done.
"""

from __future__ import annotations

import mimetypes
import posixpath
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe

from config.middleware import csp_header
from org import access

from ..models.scorm import ScormLessonPage, ScormPackage
from .package import PackageError, clean_member_path
from .services import CommitError, scorm_attempt_commit
from .storage import package_file_open

# Types browsers must get right for a package to run; the rest come from ``mimetypes``.
TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".mp4": "video/mp4",
    ".mp3": "audio/mpeg",
    ".wasm": "application/wasm",
}


def _may_see(request: HttpRequest, package: ScormPackage) -> bool:
    if access.is_editor(request.user):
        return True
    for lesson in ScormLessonPage.objects.live().filter(package=package):
        if all(
            restriction.accept_request(request) for restriction in lesson.get_view_restrictions()
        ):
            return True
    return False


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """One ``bytes=`` range of ``header`` as (first, last) within ``size``; None for no
    header, several ranges or one we do not read (the whole file is sent then). Video in a
    package needs ranges to seek."""
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = min(int(last), size)
        return (size - length, size - 1) if length else None
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    return (start, end) if start <= end or start >= size else None


def _chunks(stream, length: int, chunk: int = 64 * 1024):
    try:
        while length > 0 and (data := stream.read(min(chunk, length))):
            length -= len(data)
            yield data
    finally:
        stream.close()


@login_required
@require_safe
@xframe_options_sameorigin
def package_file(request: HttpRequest, key: str, path: str) -> HttpResponse:
    package = get_object_or_404(ScormPackage, key=key)
    try:
        clean = clean_member_path(path)
    except PackageError as error:
        raise Http404 from error
    if not _may_see(request, package):
        raise PermissionDenied
    try:
        stream = package_file_open(package, clean)
    except FileNotFoundError as error:
        raise Http404 from error
    extension = posixpath.splitext(clean)[1].lower()
    content_type = TYPES.get(extension) or mimetypes.guess_type(clean)[0]
    content_type = content_type or "application/octet-stream"
    size = stream.size
    wanted = _byte_range(request.headers.get("Range", ""), size)
    if wanted is None:
        response = FileResponse(stream, content_type=content_type)
    else:
        start, end = wanted
        if start >= size:
            stream.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        stream.seek(start)
        response = StreamingHttpResponse(
            _chunks(stream, end - start + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["Content-Security-Policy"] = csp_header(settings.SCORM_CSP_POLICY)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    # Private: the learner's browser may keep it, no shared cache may.
    response["Cache-Control"] = "private, max-age=3600"
    return response


@never_cache
@login_required
@require_POST
def commit(request: HttpRequest, lesson_id: int) -> JsonResponse:
    lesson = get_object_or_404(
        ScormLessonPage.objects.live().select_related("package"), pk=lesson_id
    )
    try:
        sequence = int(request.POST.get("sequence", "0"))
        elapsed = int(request.POST.get("elapsed", "0"))
    except ValueError:
        sequence = elapsed = -1
    if not (0 <= sequence < 2**31 and 0 <= elapsed < 2**31):
        return JsonResponse({"result": False, "errorCode": 101}, status=400)
    try:
        attempt = scorm_attempt_commit(
            user=request.user,
            lesson=lesson,
            payload=request.POST.get("data", ""),
            session_key=request.POST.get("session", ""),
            sequence=sequence,
            elapsed_seconds=elapsed,
        )
    except CommitError as error:
        return JsonResponse({"result": False, "errorCode": 101, "message": str(error)}, status=400)
    return JsonResponse({"result": True, "errorCode": 0, "done": attempt.done_at is not None})
