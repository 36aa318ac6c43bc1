"""Models of the courses app, split by concern and re-exported here.

* ``pages``: the course tree authored in Wagtail (course index, course, lesson, quiz).
* ``questions``: the question bank (snippets) with categories and answers.
* ``attempts``: what learners do: lesson reads and quiz attempts.
* ``svo``: SVO worksheets, their statements, submitted versions and reviews.
* ``svo_words``: the words editors add to the SVO checker's lists.
* ``plans``: DX execution plans grown from the ideas of approved worksheets.
* ``video``: uploaded videos, video lessons and the seconds each learner watched.
* ``scorm``: SCORM packages, the SCORM lesson page and learners' runtime data.
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
    SvoExercisePage,
)
from .plans import DxPlan, DxPlanStep, PlanStatus, Quarter
from .questions import Answer, Question, QuestionCategory, QuestionType
from .scorm import ScormAttempt, ScormLessonPage, ScormPackage, ScormRule, ScormVersion
from .svo import (
    Frequency,
    IdeaType,
    Medium,
    ReviewDecision,
    SvoReview,
    SvoStatement,
    SvoStatementComment,
    SvoWorksheet,
    SvoWorksheetVersion,
    WorksheetStatus,
)
from .svo_words import SvoCheckerWords
from .video import Video, VideoLessonPage, VideoStatus, VideoWatch

__all__ = [
    "COURSE_PART_TYPES",
    "Answer",
    "AttemptStatus",
    "CourseIndexPage",
    "CoursePage",
    "DxPlan",
    "DxPlanStep",
    "Frequency",
    "IdeaType",
    "LessonChapter",
    "LessonPage",
    "LessonRead",
    "Medium",
    "PlanStatus",
    "Quarter",
    "Question",
    "QuestionCategory",
    "QuestionType",
    "QuizAttempt",
    "QuizPage",
    "QuizSlot",
    "ReviewDecision",
    "ReviewPolicy",
    "ScormAttempt",
    "ScormLessonPage",
    "ScormPackage",
    "ScormRule",
    "ScormVersion",
    "SvoCheckerWords",
    "SvoExercisePage",
    "SvoReview",
    "SvoStatement",
    "SvoStatementComment",
    "SvoWorksheet",
    "SvoWorksheetVersion",
    "Video",
    "VideoLessonPage",
    "VideoStatus",
    "VideoWatch",
    "WorksheetStatus",
]
