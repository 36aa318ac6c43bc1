"""The video lesson page in the course tree and in the course's completion rule."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.models import CoursePage, LessonPage, VideoLessonPage, VideoStatus
from org.models import RoleGroup
from tests.factories import UserFactory, make_course

from .media import add_video_lesson

pytestmark = pytest.mark.django_db


def test_a_video_lesson_is_a_part_of_a_course_and_nothing_else():
    assert VideoLessonPage in CoursePage.allowed_subpage_models()
    assert VideoLessonPage.allowed_parent_page_models() == [CoursePage]
    assert VideoLessonPage.allowed_subpage_models() == []


def test_a_video_lesson_counts_as_a_lesson_for_the_completion_rule(video):
    course = make_course(lessons=0)["course"]
    message = CoursePage.objects.get(pk=course.pk).completion_rule_errors()
    assert "require_lessons" in message  # no lesson yet
    lesson = add_video_lesson(course, video)
    assert CoursePage.objects.get(pk=course.pk).completion_rule_errors() == {}
    assert LessonPage.objects.get(pk=lesson.pk).specific_class is VideoLessonPage


def test_a_video_that_failed_processing_cannot_be_used(video_lesson, video):
    video.status, video.error = VideoStatus.FAILED, "映像が見つかりません"
    video.save()
    video_lesson.refresh_from_db()
    with pytest.raises(ValidationError, match="映像が見つかりません"):
        video_lesson.full_clean()


def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(client, video_lesson):
    html = client.get(video_lesson.url).content.decode()
    assert "この動画を視聴するにはサインインしてください。" in html
    assert "<video" not in html


def test_a_video_still_processing_says_so(client, learner, video_lesson, video):
    video.status = VideoStatus.PROCESSING
    video.save()
    client.force_login(learner)
    html = client.get(video_lesson.url).content.decode()
    assert "この動画は準備中です。しばらくしてからもう一度開いてください。" in html
    assert "<video" not in html


def test_an_editor_adds_a_video_lesson_in_the_page_editor(client, course_with_video, video):
    client.force_login(UserFactory(is_superuser=True, groups=[RoleGroup.EDITORS]))
    course = course_with_video["course"]
    url = reverse("wagtailadmin_pages:add", args=["courses", "videolessonpage", course.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "修了とする視聴割合（%）" in form.content.decode()
    response = client.post(
        url,
        {
            "title": "窓口DXの紹介",
            "slug": "madoguchi-video",
            "summary": "",
            "estimated_minutes": 5,
            "video": video.pk,
            "complete_percent": 90,
            "body": "[]",
            "body-count": 0,
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    lesson = VideoLessonPage.objects.get(slug="madoguchi-video")
    assert lesson.live and lesson.video == video
