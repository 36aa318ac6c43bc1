"""Where a SCORM lesson sits in the page tree, and what it is."""

from courses.models import CoursePage, LessonPage, ScormLessonPage


def test_a_scorm_lesson_is_a_lesson_of_a_course_with_no_children():
    assert ScormLessonPage in CoursePage.allowed_subpage_models()
    assert ScormLessonPage.allowed_parent_page_models() == [CoursePage]
    assert ScormLessonPage.allowed_subpage_models() == []
    assert issubclass(ScormLessonPage, LessonPage)
    assert LessonPage.read_by_button and not ScormLessonPage.read_by_button
