"""Template tags of the video lesson page: the learner's watch and the player's settings."""

from django import template
from django.urls import reverse

from ..video.selectors import watch_of
from ..video.tokens import watch_token
from ..video.views import watch_message, watched_percent

register = template.Library()


@register.simple_tag(takes_context=True)
def video_player(context, lesson) -> dict | None:
    """What the player needs: media URLs, the resume position, the watched share and the
    signed token its reports carry; None for a visitor who is not signed in."""
    user = context["request"].user
    if not user.is_authenticated or lesson.video is None:
        return None
    watch = watch_of(user=user, lesson=lesson)
    duration = lesson.video.duration_seconds or 0
    watched = watch.watched_seconds if watch else 0
    return {
        "video_url": reverse("courses:video_media", args=[lesson.pk, "video"]),
        "captions_url": reverse("courses:video_media", args=[lesson.pk, "captions"])
        if lesson.video.captions
        else "",
        "poster_url": reverse("courses:video_media", args=[lesson.pk, "poster"])
        if lesson.video.poster
        else "",
        "report_url": reverse("courses:video_watch", args=[lesson.pk]),
        "token": watch_token(user_id=user.pk, lesson_id=lesson.pk),
        "position": watch.position if watch else 0,
        "message": watch_message(
            percent=watched_percent(watched, duration),
            needed=lesson.complete_percent,
            completed=bool(watch and watch.completed_at),
        ),
        "watched_percent": watched_percent(watched, duration),
        "completed": bool(watch and watch.completed_at),
    }
