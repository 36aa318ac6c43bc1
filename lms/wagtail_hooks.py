"""Wagtail hooks of lms: what it adds to the pages of the apps below it (the course page)."""

from wagtail import hooks

from .my_training.panels import course_completed_panel

hooks.register("course_page_panels", course_completed_panel)
