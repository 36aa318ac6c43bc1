"""Learner actions that are not pages: start, answer, submit, poll; mark a lesson read.

Included by config/urls.py under "learn/" before Wagtail's catch-all. The pages themselves
(course, lesson, quiz) are served by Wagtail.
"""

from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("quizzes/<int:quiz_id>/start/", views.quiz_start, name="quiz_start"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt"),
    path("attempts/<int:pk>/answer/", views.attempt_answer, name="attempt_answer"),
    path("attempts/<int:pk>/submit/", views.attempt_submit_view, name="attempt_submit"),
    path("attempts/<int:pk>/status/", views.attempt_status, name="attempt_status"),
    path("lessons/<int:lesson_id>/read/", views.lesson_mark_read, name="lesson_read"),
]

from . import svo_views  # noqa: E402

urlpatterns += [
    path("svo/<int:exercise_id>/", svo_views.worksheet_edit, name="svo_worksheet"),
    path("svo/worksheets/<int:pk>/autosave/", svo_views.worksheet_autosave, name="svo_autosave"),
]
