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

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe

from config.middleware import csp_header
from core.ranges import ranged_file_response
from org import access

from ..models.scorm import ScormLessonPage, ScormPackage
from .package import PackageError, clean_member_path
from .services import CommitError, scorm_attempt_commit
from .storage import package_member

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
    """Checked for every file, so a restriction or an unpublished lesson applies at once."""
    return access.is_editor(request.user) or any(
        access.can_view_page(request, lesson)
        for lesson in ScormLessonPage.objects.live().filter(package=package)
    )


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
        storage, name = package_member(package, clean)
    except FileNotFoundError as error:
        raise Http404 from error
    extension = posixpath.splitext(clean)[1].lower()
    content_type = TYPES.get(extension) or mimetypes.guess_type(clean)[0]
    # Ranges let video inside a package seek; private caching, nosniff as for video lessons.
    response = ranged_file_response(
        request,
        storage=storage,
        name=name,
        content_type=content_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = csp_header(settings.SCORM_CSP_POLICY)
    response["Cross-Origin-Resource-Policy"] = "same-origin"
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
