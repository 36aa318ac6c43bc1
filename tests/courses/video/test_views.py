"""The video lesson page, the watch API and the media endpoint, as a learner meets them."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from courses.models import LessonRead, VideoWatch
from tests.factories import UserFactory

from .media import add_video_lesson, make_video

pytestmark = pytest.mark.django_db


def _token(html: str) -> str:
    return re.search(r'data-token="([^"]+)"', html).group(1)


def _post_report(client, lesson, token, intervals, position=0.0):
    return client.post(
        reverse("courses:video_watch", args=[lesson.pk]),
        {"payload": json.dumps({"token": token, "intervals": intervals, "position": position})},
    )


def test_the_page_shows_player_captions_and_transcript_without_a_read_button(
    client, learner, video_lesson
):
    client.force_login(learner)
    html = client.get(video_lesson.url).content.decode()
    assert '<track kind="captions" srclang="ja"' not in html  # the video has no captions file
    assert (
        'src="{}"'.format(reverse("courses:video_media", args=[video_lesson.pk, "video"])) in html
    )
    assert "市役所のDX研修へようこそ。" in html  # the transcript beside the player
    assert "業務の見直しから始めましょう。" in html
    assert "I have read this lesson" not in html and "読みました" not in html
    assert "動画の0%を視聴しました。90%まで視聴するとこのレッスンは修了です。" in html
    assert 'data-position="0.000"' in html


def test_a_report_from_the_page_is_kept_and_answered(client, learner, video_lesson):
    client.force_login(learner)
    token = _token(client.get(video_lesson.url).content.decode())
    response = _post_report(client, video_lesson, token, [[0, 2.5]], position=2.5)
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] and data["watched_seconds"] == 2.5 and not data["completed"]
    assert data["message"] == "動画の2%を視聴しました。90%まで視聴するとこのレッスンは修了です。"
    html = client.get(video_lesson.url).content.decode()
    assert 'data-position="2.500"' in html  # the page resumes there


def test_a_forged_or_borrowed_token_is_refused(client, learner, video_lesson):
    other = UserFactory()
    client.force_login(other)
    borrowed = _token(client.get(video_lesson.url).content.decode())
    client.force_login(learner)
    for token in (borrowed, "forged", ""):
        response = _post_report(client, video_lesson, token, [[0, 2]])
        assert response.status_code == 400
        assert response.json()["error"] == (
            "このページを長時間開いたままにしていたため、視聴を記録できません。"
            "ページを再読み込みしてから続けてください。"
        )
    assert not VideoWatch.objects.exists()


def test_bad_reports_get_a_clear_error(client, learner, video_lesson):
    client.force_login(learner)
    token = _token(client.get(video_lesson.url).content.decode())
    response = _post_report(client, video_lesson, token, [[0, 500]])
    assert response.status_code == 400
    assert response.json()["error"] == "視聴区間が動画の終わりを超えています。"
    response = client.post(reverse("courses:video_watch", args=[video_lesson.pk]), {"payload": "{"})
    assert response.status_code == 400


def test_reports_need_a_signed_in_person_and_the_csrf_token(learner, video_lesson):
    anonymous = Client()
    response = _post_report(anonymous, video_lesson, "x", [[0, 1]])
    assert response.status_code == 302 and "login" in response["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert _post_report(strict, video_lesson, "x", [[0, 1]]).status_code == 403


def test_the_read_button_endpoint_does_not_apply_to_a_video_lesson(client, learner, video_lesson):
    client.force_login(learner)
    response = client.post(reverse("courses:lesson_read", args=[video_lesson.pk]), follow=True)
    assert "このレッスンは動画を視聴すると修了になります。" in response.content.decode()
    assert not LessonRead.objects.exists()


@pytest.fixture
def real_lesson(tmp_path, course_with_video):
    video = make_video(tmp_path, seconds=3)
    return add_video_lesson(course_with_video["course"], video, slug="real")


def test_the_video_is_served_with_range_requests(client, learner, real_lesson):
    client.force_login(learner)
    url = reverse("courses:video_media", args=[real_lesson.pk, "video"])
    whole = client.get(url)
    assert whole.status_code == 200
    assert whole["Content-Type"] == "video/webm"
    assert whole["Accept-Ranges"] == "bytes"
    data = b"".join(whole.streaming_content)
    assert data[:4] == b"\x1a\x45\xdf\xa3"  # EBML: a WebM
    part = client.get(url, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 10-19/{len(data)}"
    assert b"".join(part.streaming_content) == data[10:20]
    too_far = client.get(url, headers={"Range": f"bytes={len(data)}-"})
    assert too_far.status_code == 416
    assert too_far["Content-Range"] == f"bytes */{len(data)}"
    captions = client.get(reverse("courses:video_media", args=[real_lesson.pk, "captions"]))
    assert captions["Content-Type"] == "text/vtt; charset=utf-8"
    assert "市役所のDX研修へようこそ。" in b"".join(captions.streaming_content).decode()
    poster = client.get(reverse("courses:video_media", args=[real_lesson.pk, "poster"]))
    assert b"".join(poster.streaming_content)[:3] == b"\xff\xd8\xff"
    html = client.get(real_lesson.url).content.decode()
    assert '<track kind="captions" srclang="ja"' in html


def test_media_only_for_people_who_may_see_the_lesson(client, learner, real_lesson):
    url = reverse("courses:video_media", args=[real_lesson.pk, "video"])
    assert Client().get(url).status_code == 302  # not signed in: to the sign-in page
    restriction = PageViewRestriction.objects.create(
        page=real_lesson, restriction_type=PageViewRestriction.GROUPS
    )
    trainees = Group.objects.create(name="研修対象者")
    restriction.groups.add(trainees)
    client.force_login(learner)
    assert client.get(url).status_code == 404
    learner.groups.add(trainees)
    assert client.get(url).status_code == 200
    real_lesson.unpublish()
    assert client.get(url).status_code == 404
