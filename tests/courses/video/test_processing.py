"""Processing an upload with the real ffprobe and ffmpeg: duration, poster, refusals."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import QueuedTask
from courses.models import Video, VideoStatus
from courses.video.processing import video_process
from tests.factories import UserFactory

from .media import make_video, make_vtt, make_webm, require_ffmpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ffmpeg():
    require_ffmpeg()


def test_a_real_video_gets_its_duration_and_a_jpeg_poster(tmp_path):
    video = make_video(tmp_path, seconds=6)
    assert video.status == VideoStatus.READY
    assert video.progress == 100
    assert video.duration_seconds == pytest.approx(6, abs=0.2)
    assert video.error == ""
    with video.poster.open("rb") as poster:
        assert poster.read(3) == b"\xff\xd8\xff"  # JPEG
    assert video.processed_file == video.file.name


def test_processing_twice_changes_nothing(tmp_path):
    video = make_video(tmp_path, seconds=3)
    poster = video.poster.name
    assert video_process(video_id=video.pk) == VideoStatus.READY
    video.refresh_from_db()
    assert video.poster.name == poster


def test_a_file_that_is_not_a_video_fails_with_a_japanese_reason(tmp_path):
    video = Video(title="壊れたファイル")
    video.file.save("not-a-video.webm", ContentFile(b"this is a memo, not a video"), save=False)
    video.save()
    assert video_process(video_id=video.pk) == VideoStatus.FAILED
    video.refresh_from_db()
    assert video.status == VideoStatus.FAILED
    assert "動画" in video.error  # the site's language, whatever the worker's
    assert not video.poster
    assert video.duration_seconds is None


@pytest.fixture
def editor(db):
    return UserFactory(groups=["Editors"])  # the role, not a superuser: 0008 grants it


def _upload(client, tmp_path: Path, *, movie: bytes, name: str = "lesson.webm", vtt=True):
    data = {
        "title": "DXとは何か",
        "transcript": "市役所のDX研修へようこそ。",
        "file": SimpleUploadedFile(name, movie, content_type="video/webm"),
    }
    if vtt:
        data["captions"] = SimpleUploadedFile(
            "lesson.vtt", make_vtt(tmp_path).read_bytes(), content_type="text/vtt"
        )
    return client.post(reverse("wagtailsnippets_courses_video:add"), data)


def test_an_editor_uploads_a_video_and_the_cms_shows_it_processed(
    client, editor, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    movie = make_webm(tmp_path, seconds=4).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, tmp_path, movie=movie)
    assert response.status_code == 302, response.content.decode()[:2000]
    video = Video.objects.get()
    assert video.status == VideoStatus.READY
    assert video.duration_seconds == pytest.approx(4, abs=0.2)
    assert not QueuedTask.objects.exists()  # the queued work ran and was cleared
    status = client.get(reverse("courses:video_status", args=[video.pk])).json()
    assert status == {
        "status": "ready",
        "label": status["label"],
        "progress": 100,
        "duration_seconds": video.duration_seconds,
        "error": "",
        "done": True,
    }
    edit = client.get(reverse("wagtailsnippets_courses_video:edit", args=[video.pk]))
    assert "data-video-status" in edit.content.decode()
    listing = client.get(reverse("wagtailsnippets_courses_video:list"), {"q": "DX"})
    assert listing.status_code == 200
    assert "DXとは何か" in listing.content.decode() and "視聴可能" in listing.content.decode()
    # Saving again without a new file queues nothing.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("wagtailsnippets_courses_video:edit", args=[video.pk]),
            {"title": "DXとは何か（改訂）", "transcript": ""},
        )
    assert callbacks == []


def test_a_file_that_is_not_a_video_is_refused_at_upload(client, editor, tmp_path):
    client.force_login(editor)
    response = _upload(client, tmp_path, movie=b"PK\x03\x04 a spreadsheet", name="memo.mp4")
    assert response.status_code == 200
    assert "このファイルは再生できる動画ではありません" in response.content.decode()
    assert not Video.objects.exists()


def test_captions_that_are_not_webvtt_are_refused(client, editor, tmp_path):
    client.force_login(editor)
    movie = make_webm(tmp_path, seconds=2).read_bytes()
    response = client.post(
        reverse("wagtailsnippets_courses_video:add"),
        {
            "title": "字幕違い",
            "file": SimpleUploadedFile("a.webm", movie, content_type="video/webm"),
            "captions": SimpleUploadedFile("a.vtt", b"1\n00:00:00,000 --> 00:00:01,000\nSRT"),
        },
    )
    assert response.status_code == 200
    assert "WebVTT" in response.content.decode()
    assert not Video.objects.exists()


def test_the_status_endpoint_is_for_editors_only(client, tmp_path):
    video = make_video(tmp_path, seconds=2, process=False)
    client.force_login(UserFactory())
    assert client.get(reverse("courses:video_status", args=[video.pk])).status_code == 403
