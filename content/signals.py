"""Signals the content app sends for others to listen to.

``chapter_read`` (sender: ``ChapterRead``; arguments ``user``, ``page``, ``reached_end``)
is sent after a reading report was committed. Courses listen to it to mark a lesson that
points to the chapter as read; the content app itself knows nothing of lessons.
"""

from django.dispatch import Signal

chapter_read = Signal()
