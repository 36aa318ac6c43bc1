"""Video lessons' own endpoints (thin: they parse the request and call services/selectors).

* ``lesson_media``: the video, its captions and poster, from our origin with HTTP range
  requests, to signed-in people who may see the lesson (its page is live and passes the
  page's view restrictions; editors also see drafts for preview).
* ``watch_report``: what the player played (JSON in a form post: ``fetch`` every ~10 s and
  ``navigator.sendBeacon`` on pagehide, both carrying the CSRF token as a form field).
* ``video_status``: the processing status the CMS polls while a new upload is processed.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.ranges import ranged_file_response
from org import access

from ..models import Video, VideoLessonPage
from .services import WatchError, video_watch_report
from .tokens import session_started

MAX_REPORT_BYTES = 32 * 1024

_MEDIA_TYPES = {"captions": "text/vtt; charset=utf-8", "poster": "image/jpeg"}


def _visible_lesson(request: HttpRequest, lesson_id: int) -> VideoLessonPage:
    """The video lesson if ``request.user`` may see it; 404 otherwise (existence not told)."""
    lesson = get_object_or_404(VideoLessonPage.objects.select_related("video"), pk=lesson_id)
    if not access.can_view_page(request, lesson):
        raise Http404
    return lesson


@login_required
@require_http_methods(["GET", "HEAD"])
def lesson_media(request: HttpRequest, lesson_id: int, kind: str) -> HttpResponse:
    lesson = _visible_lesson(request, lesson_id)
    video = lesson.video
    if video is None or not video.is_ready:
        raise Http404
    field = {"video": video.file, "captions": video.captions, "poster": video.poster}.get(kind)
    if not field:
        raise Http404
    content_type = video.content_type if kind == "video" else _MEDIA_TYPES[kind]
    if not field.storage.exists(field.name):
        raise Http404
    return ranged_file_response(
        request, storage=field.storage, name=field.name, content_type=content_type
    )


@never_cache
@login_required
@require_POST
def watch_report(request: HttpRequest, lesson_id: int) -> JsonResponse:
    lesson = _visible_lesson(request, lesson_id)
    raw = request.POST.get("payload", "")
    if len(raw) > MAX_REPORT_BYTES:
        return JsonResponse({"ok": False, "error": _("The report is too large.")}, status=400)
    try:
        payload = json.loads(raw)
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        return JsonResponse(
            {"ok": False, "error": _("The player sent a report that cannot be read.")}, status=400
        )
    try:
        started = session_started(
            str(payload.get("token", "")), user_id=request.user.pk, lesson_id=lesson.pk
        )
        result = video_watch_report(
            user=request.user,
            lesson=lesson,
            intervals=payload.get("intervals", []),
            position=payload.get("position", 0),
            session_started=started,
        )
    except WatchError as error:
        return JsonResponse({"ok": False, "error": str(error)}, status=400)
    watch = result.watch
    percent = watched_percent(watch.watched_seconds, lesson.video.duration_seconds)
    completed = watch.completed_at is not None
    return JsonResponse(
        {
            "ok": True,
            "watched_seconds": watch.watched_seconds,
            "watched_percent": percent,
            "complete_percent": lesson.complete_percent,
            "completed": completed,
            "completed_now": result.completed_now,
            "position": watch.position,
            "message": watch_message(
                percent=percent, needed=lesson.complete_percent, completed=completed
            ),
        }
    )


def watched_percent(seconds: float, duration: float | None) -> int:
    return min(100, int(seconds * 100 // duration)) if duration else 0


def watch_message(*, percent: int, needed: int, completed: bool) -> str:
    """The player's status line (the page renders the same sentence)."""
    if completed:
        return _("You have watched this video. The lesson is done.")
    return _("Watched %(percent)s%% of the video. Watching %(needed)s%% completes the lesson.") % {
        "percent": percent,
        "needed": needed,
    }


@never_cache
@login_required
@require_GET
def video_status(request: HttpRequest, video_id: int) -> JsonResponse:
    if not access.is_editor(request.user):
        raise PermissionDenied
    video = get_object_or_404(Video, pk=video_id)
    return JsonResponse(
        {
            "status": video.status,
            "label": video.get_status_display(),
            "progress": video.progress,
            "duration_seconds": video.duration_seconds,
            "error": video.error,
            "done": video.status in ("ready", "failed"),
        }
    )
