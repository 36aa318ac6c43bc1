"""Models of the courses app, split by concern and re-exported here.

* ``pages``: the course tree authored in Wagtail (course index, course, lesson, quiz).
* ``questions``: the question bank (snippets) with categories and answers.
* ``attempts``: what learners do: lesson reads and quiz attempts.
"""

from .attempts import AttemptStatus, LessonRead, QuizAttempt
from .pages import (
    COURSE_PART_TYPES,
    CourseIndexPage,
    CoursePage,
    LessonChapter,
    LessonPage,
    QuizPage,
    QuizSlot,
    ReviewPolicy,
)
from .questions import Answer, Question, QuestionCategory, QuestionType

__all__ = [
    "COURSE_PART_TYPES",
    "Answer",
    "AttemptStatus",
    "CourseIndexPage",
    "CoursePage",
    "LessonChapter",
    "LessonPage",
    "LessonRead",
    "Question",
    "QuestionCategory",
    "QuestionType",
    "QuizAttempt",
    "QuizPage",
    "QuizSlot",
    "ReviewPolicy",
]
