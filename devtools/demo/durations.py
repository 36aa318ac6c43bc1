"""How long the demo courses take, worked out from their content instead of typed by hand.

A typed figure drifts from the content it describes (the review found DX PRO育成研修 stating
about 180 minutes for three one-sentence lessons). So the demo states what its content needs:

- a lesson: its own text at the guidebook's reading speed, plus the guidebook chapters it
  asks the learner to read (each chapter's own estimate, ``ChapterPage.reading_minutes``);
- a quiz: one minute per question the attempt has;
- an SVO exercise: reading its instructions and example, plus ten minutes per statement the
  learner must write (a WHAT, its WHY and a HOW, with the figures of the work);
- a course: the sum of its live parts.

``course_minutes_sync`` writes these figures onto the pages, so the course page's "about N
minutes" and every lesson's estimate agree with what the learner actually meets.
"""

from __future__ import annotations

import math

from content.models import ChapterPage
from content.text import READING_CHARS_PER_MINUTE, html_to_text
from courses.models import CoursePage, LessonPage, QuizPage, SvoExercisePage
from courses.quiz.draw import question_count

QUIZ_MINUTES_PER_QUESTION = 1
EXERCISE_MINUTES_PER_STATEMENT = 10


def reading_minutes(text: str) -> int:
    """Minutes to read ``text`` at the guidebook's speed; nothing to read takes no time."""
    length = len(text.strip())
    return math.ceil(length / READING_CHARS_PER_MINUTE) if length else 0


def lesson_text(lesson: LessonPage) -> str:
    """The readable text of a lesson: its summary, text blocks and video transcripts."""
    parts = [lesson.summary]
    for child in lesson.body:
        if child.block_type == "text":
            parts.append(html_to_text(child.value.source))
        elif child.block_type == "video":
            parts += [child.value.get("title", ""), child.value.get("transcript", "")]
    return "\n".join(part for part in parts if part)


def lesson_minutes(lesson: LessonPage) -> int:
    chapters = ChapterPage.objects.filter(pk__in=lesson.chapter_ids())
    return max(1, reading_minutes(lesson_text(lesson)) + sum(c.reading_minutes for c in chapters))


def quiz_minutes(quiz: QuizPage) -> int:
    return QUIZ_MINUTES_PER_QUESTION * question_count(quiz.slots.all())


def exercise_minutes(exercise: SvoExercisePage) -> int:
    text = html_to_text(exercise.instructions) + html_to_text(exercise.worked_example)
    return reading_minutes(text) + EXERCISE_MINUTES_PER_STATEMENT * exercise.min_statements


def part_minutes(part) -> int:
    """Minutes of one live course part (0 for a kind of part this module does not know)."""
    if isinstance(part, LessonPage):
        return lesson_minutes(part)
    if isinstance(part, QuizPage):
        return quiz_minutes(part)
    if isinstance(part, SvoExercisePage):
        return exercise_minutes(part)
    return 0


def course_minutes_sync(course: CoursePage) -> int:
    """Set every lesson's and the course's estimated minutes from the content; returns the
    course's minutes. Pages whose figure is already right are left alone (no new revision),
    so running the demo seed again changes nothing."""
    total = 0
    for part in course.parts():
        minutes = part_minutes(part)
        total += minutes
        if isinstance(part, LessonPage) and part.estimated_minutes != minutes:
            part.estimated_minutes = minutes
            part.save_revision().publish()
    course = CoursePage.objects.get(pk=course.pk)
    if course.estimated_minutes != total:
        course.estimated_minutes = total
        course.save_revision().publish()
    return total
