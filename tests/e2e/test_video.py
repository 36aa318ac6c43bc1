"""A video lesson in a real browser: Debian's chromium plays our WebM from our own origin.

A clerk enrolled in a course opens its video lesson (a real 10-second VP8 video made by
ffmpeg, processed by the same code as an upload: duration and poster), plays it muted, skips
ahead (the skipped seconds do not count), leaves and comes back (the player resumes where it
stopped), then watches the rest: the lesson shows done, the course page marks the part done
and the enrollment's progress moves, as for a read lesson. Every page is checked with axe
and photographed at phone and desktop widths.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from courses.models import LessonRead, VideoWatch
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment
from tests.courses.video.media import add_video_lesson, make_video
from tests.factories import UserFactory, make_course, make_org_tree
from tests.lms.training import dates

from .conftest import DESKTOP

pytestmark = [
    pytest.mark.integration,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
LEARNER = "370001"
DONE = "この動画を視聴しました。このレッスンは修了です。"


def _play(page) -> None:
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play(); }")


def _time(page) -> float:
    return page.evaluate("() => document.querySelector('video').currentTime")


def _wait_time(page, at_least: float) -> None:
    page.wait_for_function(
        "(t) => document.querySelector('video').currentTime >= t", arg=at_least, timeout=30_000
    )


def test_watching_a_video_lesson(people, tmp_path, wait_until):
    tree = make_org_tree()
    learner = UserFactory(
        employee_number=LEARNER, display_name="動画 視聴子", unit=tree["madoguchi"]
    )
    parts = make_course(title="動画で学ぶDX研修", slug="e2e-video", lessons=0)
    course = parts["course"]
    video = make_video(tmp_path, seconds=10)
    lesson = add_video_lesson(course, video, complete_percent=80)
    assignment_fan_out(assignment_id=assignment_create(course=course, enqueue=False, **dates()).pk)
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.progress == 0

    clerk = people("clerk", DESKTOP)
    clerk.sign_in(LEARNER, PASSWORD)
    clerk.goto(lesson.url)
    page = clerk.page
    expect(page.locator("track[kind=captions][srclang=ja]")).to_have_count(1)
    expect(page.get_by_role("heading", name="文字起こし")).to_be_visible()
    expect(page.get_by_text("市役所のDX研修へようこそ。").first).to_be_visible()
    page.wait_for_function("() => document.querySelector('video').readyState >= 1")
    assert page.evaluate("() => document.querySelector('video').duration") == pytest.approx(
        10, abs=0.3
    )

    # Play 0-3, skip ahead to 7, play to 8, pause: about 4 seconds count, not 8.
    _play(page)
    _wait_time(page, 3)
    page.evaluate("() => { document.querySelector('video').currentTime = 7; }")
    _wait_time(page, 8)
    page.evaluate("() => document.querySelector('video').pause()")
    status = page.locator("[data-watch-status]")
    expect(status).to_contain_text("まで視聴するとこのレッスンは修了です")

    def reported():
        """The pause's report reached the server."""
        watch = VideoWatch.objects.filter(user=learner, lesson=lesson).first()
        return watch if watch and watch.position >= 7.5 else None

    watch = wait_until(reported)
    assert 2.5 <= watch.watched_seconds <= 5.5, watch.intervals
    assert not LessonRead.objects.filter(user=learner).exists()
    clerk.axe()

    # Back later: the player resumes where it stopped.
    clerk.goto(lesson.url)
    page.wait_for_function("() => document.querySelector('video').currentTime > 7")
    assert _time(page) == pytest.approx(watch.position, abs=0.5)

    # Watch the rest from 3 to the end: the lesson is done.
    page.evaluate("() => { document.querySelector('video').currentTime = 3; }")
    _play(page)
    expect(status).to_have_text(DONE, timeout=30_000)
    read = LessonRead.objects.get(user=learner, lesson=lesson)
    assert read.via == LessonRead.Via.VIDEO
    clerk.axe()

    # The course page marks the part done; the enrollment's progress moved.
    clerk.goto(course.url)
    expect(page.locator(".course-part").filter(has_text=lesson.title)).to_contain_text(
        "動画レッスン"
    )

    def progressed():
        """The enrollment's progress counts the watched video."""
        return Enrollment.objects.filter(pk=enrollment.pk, progress__gt=0).first()

    wait_until(progressed)
