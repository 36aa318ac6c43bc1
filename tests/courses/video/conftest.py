"""Fixtures of the video tests: a published course with a video lesson of a 100-second video.

The service and view tests need no real file (``Video`` rows marked ready with a duration);
the processing tests and the media test make real ones with ffmpeg (``media.py``).
"""

import pytest

from courses.models import Video, VideoStatus
from tests.factories import make_course

from .media import add_video_lesson


@pytest.fixture
def video(db):
    return Video.objects.create(
        title="DXとは何か",
        file="videos/dx.webm",
        transcript="市役所のDX研修へようこそ。\n業務の見直しから始めましょう。",
        status=VideoStatus.READY,
        progress=100,
        duration_seconds=100.0,
    )


@pytest.fixture
def course_with_video(video):
    course = make_course(lessons=1)
    course["video_lesson"] = add_video_lesson(course["course"], video)
    return course


@pytest.fixture
def video_lesson(course_with_video):
    return course_with_video["video_lesson"]
