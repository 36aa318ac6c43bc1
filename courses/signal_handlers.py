"""Receivers of other apps' signals: a guidebook chapter read may complete a lesson."""

from django.dispatch import receiver

from content.signals import chapter_read

from .services import lessons_read_through_chapter


@receiver(chapter_read, dispatch_uid="courses_lessons_read_through_chapter")
def lesson_read_through_chapter(sender, user, page, reached_end, **kwargs):
    """A chapter read to the end marks read the lessons whose chapters are now all read."""
    if reached_end:
        lessons_read_through_chapter(user=user, chapter_id=page.pk)
