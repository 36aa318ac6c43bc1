"""Every write of video lessons: queueing an upload's processing and recording what a
learner watched.

Watch reports are checked against reality before anything is kept: intervals within the
video, and no more new seconds than the wall clock allows since the learner's previous report
(or since the page was opened, for the first) at the fastest playback rate the player offers.
When the merged seconds reach the lesson's share, the lesson is recorded read through
``courses.services.lesson_read_record`` (``LessonRead.Via.VIDEO``), exactly as a read lesson,
so the completion rule, the enrollment and HR's figures move the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.queue import enqueue_on_commit
from org import access

from ..models import LessonRead, Video, VideoLessonPage, VideoStatus, VideoWatch
from ..services import lesson_read_record
from ..years import course_path_of, training_period
from . import intervals as arithmetic
from .tasks import video_process_task

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

#: The fastest playback rate the player offers (video.js clamps to it): a learner can play
#: at most this many seconds of video per second of wall clock.
MAX_PLAYBACK_RATE = 2.0
#: Seconds of slack for clocks and a report in flight.
CLOCK_SLACK_SECONDS = 3.0
#: Reported intervals may end this far past the duration (players round), then are clamped.
DURATION_TOLERANCE = 1.0
#: Intervals in one report: the player sends every 10-15 s; a seek-happy minute is far below.
MAX_INTERVALS = 200


class WatchError(Exception):
    """A watch report that cannot be accepted; the message is for the learner."""


@dataclass(frozen=True, slots=True)
class WatchResult:
    watch: VideoWatch
    added_seconds: float
    completed_now: bool


# --- processing ------------------------------------------------------------------------


@transaction.atomic
def video_processing_request(*, video: Video, by: AbstractBaseUser | None = None) -> bool:
    """Queue the processing of ``video``'s file (duration, poster) unless it was processed.

    Called after the CMS saves the snippet; saving again without a new file queues nothing.
    Returns whether work was queued.
    """
    access.require(by is None or access.is_editor(by))
    if not video.file or video.file.name == video.processed_file:
        return False
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.PENDING, progress=0, error="", updated_at=timezone.now()
    )
    enqueue_on_commit(video_process_task, video.pk, key=f"video:{video.pk}")
    return True


# --- watching --------------------------------------------------------------------------


def _number(value: object, *, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WatchError(_("The player sent %(what)s that is not a number.") % {"what": what})
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise WatchError(_("The player sent a negative or invalid time."))
    return number


def _checked_intervals(raw: object, duration: float) -> list[tuple[float, float]]:
    if not isinstance(raw, list) or len(raw) > MAX_INTERVALS:
        raise WatchError(_("The player sent an invalid list of watched intervals."))
    checked = []
    for pair in raw:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise WatchError(_("The player sent an invalid list of watched intervals."))
        start = _number(pair[0], what="start")
        end = _number(pair[1], what="end")
        if end < start:
            raise WatchError(_("A watched interval ends before it starts."))
        if start > duration + DURATION_TOLERANCE or end > duration + DURATION_TOLERANCE:
            raise WatchError(_("A watched interval lies beyond the end of the video."))
        checked.append((start, end))
    return checked


def watch_budget(*, watch: VideoWatch, session_started: dt.datetime, now: dt.datetime) -> float:
    """New seconds a report may add: wall clock since the later of the previous report and
    the page's opening, times the fastest playback rate, plus slack."""
    since = max(filter(None, (watch.reported_at, session_started)))
    elapsed = max(0.0, (now - since).total_seconds())
    return elapsed * MAX_PLAYBACK_RATE + CLOCK_SLACK_SECONDS


@transaction.atomic
def video_watch_report(
    *,
    user: AbstractBaseUser,
    lesson: VideoLessonPage,
    intervals: object,
    position: object,
    session_started: dt.datetime,
    now: dt.datetime | None = None,
) -> WatchResult:
    """Add the intervals ``user`` played of ``lesson`` and keep the resume ``position``.

    Refused (``WatchError``, nothing kept) for times that are negative, not numbers or past
    the end. New seconds beyond the wall-clock budget are not counted. Records the lesson
    read the first time the watched share reaches ``lesson.complete_percent``.
    """
    access.require(user.is_authenticated and user.is_active)
    now = now or timezone.now()
    video = lesson.video
    if video is None or not video.is_ready:
        raise WatchError(_("This video is still being prepared. Try again later."))
    duration = float(video.duration_seconds)
    reported = _checked_intervals(intervals, duration)
    resume = min(_number(position, what="position"), duration)
    period = training_period(
        user_id=user.pk, course_path=course_path_of(lesson), today=timezone.localdate(now)
    )
    watch, _created = VideoWatch.objects.select_for_update().get_or_create(
        user=user, lesson=lesson, **period.fields()
    )
    budget = watch_budget(watch=watch, session_started=session_started, now=now)
    merged, added = arithmetic.accept(watch.intervals, reported, duration=duration, budget=budget)
    watch.intervals = [[round(s, 3), round(e, 3)] for s, e in merged]
    watch.watched_seconds = round(arithmetic.total(merged), 3)
    watch.position = round(resume, 3)
    watch.reported_at = now
    completed_now = False
    needed = lesson.seconds_to_complete()
    if watch.completed_at is None and needed is not None and watch.watched_seconds >= needed:
        watch.completed_at = now
        completed_now = True
    watch.save()
    if completed_now:
        lesson_read_record(user=user, lesson=lesson, via=LessonRead.Via.VIDEO)
    return WatchResult(watch=watch, added_seconds=added, completed_now=completed_now)
