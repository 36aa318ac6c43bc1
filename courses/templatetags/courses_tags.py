"""Template tags that give course page templates the learner's own progress.

The page models stay free of reads that span relations; their templates ask the selectors.
"""

from django import template

from ..quiz.draw import question_count
from ..selectors import course_progress, lesson_is_read, quiz_overview

register = template.Library()


@register.simple_tag(takes_context=True)
def progress_in_course(context, course, parts=None):
    user = context["request"].user
    if not user.is_authenticated:
        return None
    return course_progress(user=user, course=course, parts=parts)


@register.simple_tag(takes_context=True)
def overview_of_quiz(context, quiz):
    user = context["request"].user
    return quiz_overview(user=user, quiz=quiz) if user.is_authenticated else None


@register.simple_tag(takes_context=True)
def lesson_read_by_me(context, lesson):
    user = context["request"].user
    return lesson_is_read(user=user, lesson=lesson) if user.is_authenticated else False


@register.simple_tag
def questions_in_quiz(quiz) -> int:
    """How many questions an attempt of ``quiz`` has, from its slots (the quiz's settings)."""
    return question_count(quiz.slots.all())
