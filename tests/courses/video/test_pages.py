"""The video lesson page in the course tree and in the course's completion rule."""

import pytest
from django.core.exceptions import ValidationError

from courses.models import CoursePage, LessonPage, VideoLessonPage, VideoStatus
from tests.factories import make_course

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
