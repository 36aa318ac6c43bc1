"""Tiny real media for the video tests, made with Debian's ffmpeg at test time.

WebM (VP8) because Debian's chromium plays it (H.264 depends on the build); a test pattern
with a moving counter, so each frame differs and a poster frame is a real picture.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files import File

from courses.models import CoursePage, Video, VideoLessonPage, VideoStatus
from courses.video.processing import video_process

CAPTIONS = """WEBVTT

00:00:00.000 --> 00:00:04.000
市役所のDX研修へようこそ。

00:00:04.000 --> 00:00:10.000
業務の見直しから始めましょう。
"""

TRANSCRIPT = "市役所のDX研修へようこそ。\n業務の見直しから始めましょう。"


def require_ffmpeg() -> None:
    """Skip without Debian's ffmpeg; under ``CI=true`` fail instead (CI installs it)."""
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        reason = "the video tests need Debian's ffmpeg (apt-get install ffmpeg)"
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}:
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)


def make_webm(folder: Path, *, seconds: int = 10, name: str = "lesson.webm") -> Path:
    """A real ``seconds``-long VP8 WebM of 160x120 at 10 frames a second (a few KB)."""
    require_ffmpeg()
    out = folder / name
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", "-f", "lavfi",
            "-i", f"testsrc=duration={seconds}:size=160x120:rate=10",
            "-c:v", "libvpx", "-b:v", "100k", "-pix_fmt", "yuv420p", "-an", str(out),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    return out


def make_vtt(folder: Path) -> Path:
    out = folder / "lesson.ja.vtt"
    out.write_text(CAPTIONS, encoding="utf-8")
    return out


def make_video(folder: Path, *, seconds: int = 10, process: bool = True) -> Video:
    """A saved ``Video`` with a real file and Japanese captions, processed (duration and
    poster by ffprobe/ffmpeg) unless ``process`` is False."""
    webm, vtt = make_webm(folder, seconds=seconds), make_vtt(folder)
    video = Video(title="DXとは何か", transcript=TRANSCRIPT)
    with webm.open("rb") as movie, vtt.open("rb") as captions:
        video.file.save(webm.name, File(movie), save=False)
        video.captions.save(vtt.name, File(captions), save=False)
    video.save()
    if process:
        assert video_process(video_id=video.pk) == VideoStatus.READY
        video.refresh_from_db()
    return video


def add_video_lesson(
    course: CoursePage, video: Video, *, slug: str = "video", complete_percent: int = 90
) -> VideoLessonPage:
    """A published video lesson at the end of ``course``."""
    lesson = VideoLessonPage(
        title="動画で学ぶDX", slug=slug, video=video, complete_percent=complete_percent
    )
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    return VideoLessonPage.objects.get(pk=lesson.pk)
