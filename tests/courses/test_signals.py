"""A lesson linking guidebook chapters counts as read when all of them were read to the end."""

import pytest

from content.services import chapter_read_record
from courses.models import LessonChapter, LessonRead
from courses.signals import lesson_read
from tests.helpers.quiz import republish

pytestmark = pytest.mark.django_db


def test_lesson_read_through_chapters(learner, course, django_capture_on_commit_callbacks):
    from content.models import ChapterPage
    from devtools.demo.guidebook import guidebook_seed

    guidebook_seed()
    first, second = ChapterPage.objects.live().order_by("path")[:2]
    lesson = course["lessons"][0]
    lesson.chapter_links = [LessonChapter(chapter=first), LessonChapter(chapter=second)]
    lesson = republish(lesson)
    seen = []
    lesson_read.connect(lambda **kw: seen.append(kw), weak=False, dispatch_uid="t-sig")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            chapter_read_record(user=learner, page=first, seconds_active=60, reached_end=True)
        assert not LessonRead.objects.exists()  # one chapter of two
        with django_capture_on_commit_callbacks(execute=True):
            chapter_read_record(user=learner, page=second, seconds_active=60, reached_end=False)
        assert not LessonRead.objects.exists()  # not to the end
        with django_capture_on_commit_callbacks(execute=True):
            chapter_read_record(user=learner, page=second, seconds_active=30, reached_end=True)
        read = LessonRead.objects.get()
        assert (read.lesson_id, read.via) == (lesson.pk, LessonRead.Via.CHAPTERS)
        assert [kw["lesson"].pk for kw in seen] == [lesson.pk]
    finally:
        lesson_read.disconnect(dispatch_uid="t-sig")
