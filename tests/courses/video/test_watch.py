"""Recording what a learner watched: merging, the wall-clock budget, validation, completion."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.fiscal import fiscal_year_of
from courses.models import LessonRead, VideoStatus, VideoWatch
from courses.selectors import course_progress
from courses.signals import lesson_read
from courses.video.services import (
    CLOCK_SLACK_SECONDS,
    MAX_PLAYBACK_RATE,
    WatchError,
    video_watch_report,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _report(user, lesson, intervals, *, position=0.0, opened_ago=600, now=NOW):
    return video_watch_report(
        user=user,
        lesson=lesson,
        intervals=intervals,
        position=position,
        session_started=now - dt.timedelta(seconds=opened_ago),
        now=now,
    )


def test_played_intervals_are_merged_and_the_position_kept(learner, video_lesson):
    _report(learner, video_lesson, [[0, 20], [10, 30]], position=30)
    result = _report(
        learner, video_lesson, [[25, 40]], position=40, now=NOW + dt.timedelta(seconds=60)
    )
    watch = VideoWatch.objects.get(user=learner, lesson=video_lesson)
    assert watch.intervals == [[0, 40]]
    assert watch.watched_seconds == 40
    assert watch.position == 40
    assert watch.fiscal_year == fiscal_year_of(NOW)
    assert result.added_seconds == 10
    assert watch.completed_at is None


def test_seconds_skipped_by_seeking_ahead_do_not_count(learner, video_lesson):
    # Played 0-10, sought to 80, played 80-85: 15 seconds, not 85.
    result = _report(learner, video_lesson, [[0, 10], [80, 85]], position=85)
    assert result.watch.watched_seconds == 15
    assert not LessonRead.objects.exists()


def test_no_more_seconds_than_the_wall_clock_allows(learner, video_lesson):
    # The page was opened 10 seconds ago: at most 10 s x the fastest rate, plus slack.
    result = _report(learner, video_lesson, [[0, 100]], position=100, opened_ago=10)
    allowed = 10 * MAX_PLAYBACK_RATE + CLOCK_SLACK_SECONDS
    assert result.watch.watched_seconds == pytest.approx(allowed)
    assert not LessonRead.objects.exists()
    # The next report is bounded by the time since this one, not since the page opened.
    later = NOW + dt.timedelta(seconds=5)
    result = _report(learner, video_lesson, [[0, 100]], position=100, opened_ago=10, now=later)
    assert result.watch.watched_seconds == pytest.approx(
        allowed + 5 * MAX_PLAYBACK_RATE + CLOCK_SLACK_SECONDS
    )


def test_replaying_what_was_counted_costs_nothing(learner, video_lesson):
    _report(learner, video_lesson, [[0, 50]])
    result = _report(learner, video_lesson, [[0, 50]], now=NOW + dt.timedelta(seconds=1))
    assert result.added_seconds == 0
    assert result.watch.watched_seconds == 50


def test_watching_the_share_records_the_lesson_read_once(learner, course_with_video, video_lesson):
    seen = []
    lesson_read.connect(lambda **kw: seen.append(kw), weak=False, dispatch_uid="t-video")
    try:
        first = _report(learner, video_lesson, [[0, 89]], position=89)
        assert not first.completed_now
        second = _report(learner, video_lesson, [[89, 95]], now=NOW + dt.timedelta(seconds=30))
        third = _report(learner, video_lesson, [[95, 100]], now=NOW + dt.timedelta(seconds=60))
    finally:
        lesson_read.disconnect(dispatch_uid="t-video")
    assert second.completed_now and not third.completed_now
    read = LessonRead.objects.get()
    assert (read.user, read.lesson_id, read.via) == (learner, video_lesson.pk, "video")
    assert len(seen) == 1
    assert seen[0]["course"] == course_with_video["course"]
    progress = course_progress(user=learner, course=course_with_video["course"])
    assert video_lesson.pk in progress.lessons_read
    assert progress.lessons_total == 2  # the text lesson and the video lesson


def test_the_share_is_the_editors(learner, video_lesson):
    video_lesson.complete_percent = 50
    video_lesson.save_revision().publish()
    assert _report(learner, video_lesson, [[0, 50]]).completed_now


@pytest.mark.parametrize(
    ("intervals", "position"),
    [
        ([[-1, 5]], 0),  # negative
        ([[5, 2]], 0),  # ends before it starts
        ([[0, 130]], 0),  # past the end of a 100-second video
        ([[0, "5"]], 0),  # not a number
        ([[0, True]], 0),
        ([[0, float("nan")]], 0),
        ([[0, 1, 2]], 0),
        ({"0": 5}, 0),
        ([[0, 5]] * 201, 0),  # more intervals than a report can hold
        ([[0, 5]], -3),  # negative position
        ([[0, 5]], "end"),
    ],
)
def test_impossible_reports_are_refused_and_change_nothing(
    learner, video_lesson, intervals, position
):
    with pytest.raises(WatchError):
        _report(learner, video_lesson, intervals, position=position)
    assert not VideoWatch.objects.exists()


def test_a_video_not_yet_processed_takes_no_report(learner, video_lesson, video):
    video.status = VideoStatus.PROCESSING
    video.save()
    video_lesson.refresh_from_db()
    with pytest.raises(WatchError, match="being prepared"):
        _report(learner, video_lesson, [[0, 5]])


def test_an_inactive_account_cannot_report(video_lesson):
    with pytest.raises(PermissionDenied):
        _report(UserFactory(is_active=False), video_lesson, [[0, 5]])


def test_each_learner_has_a_watch_of_their_own(learner, video_lesson):
    other = UserFactory()
    _report(learner, video_lesson, [[0, 30]])
    _report(other, video_lesson, [[50, 60]])
    assert {w.user_id: w.watched_seconds for w in VideoWatch.objects.all()} == {
        learner.pk: 30,
        other.pk: 10,
    }
