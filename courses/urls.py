"""The courses' screens that are not Wagtail pages: the learner's quiz and worksheet actions
(under ``learn/``), the files of SCORM packages (``scorm/``), the worksheet review
(``review/``) and the DX execution plans (``plans/``). Included by config/urls.py at the root,
before Wagtail's catch-all; the course, lesson and quiz pages themselves are served by
Wagtail."""

from django.urls import path, re_path

from . import views
from .marking import views as marking_views
from .plans import views as plan_views
from .scorm import views as scorm_views
from .svo import views as svo_views
from .video import views as video_views

app_name = "courses"

urlpatterns = [
    path("learn/quizzes/<int:quiz_id>/start/", views.quiz_start, name="quiz_start"),
    path("learn/attempts/<int:pk>/", views.attempt_detail, name="attempt"),
    path("learn/attempts/<int:pk>/answer/", views.attempt_answer, name="attempt_answer"),
    path("learn/attempts/<int:pk>/submit/", views.attempt_submit_view, name="attempt_submit"),
    path("learn/attempts/<int:pk>/confirm/", views.attempt_confirm, name="attempt_confirm"),
    path("learn/attempts/<int:pk>/status/", views.attempt_status, name="attempt_status"),
    path("learn/lessons/<int:lesson_id>/read/", views.lesson_mark_read, name="lesson_read"),
    path("learn/scorm/<int:lesson_id>/commit/", scorm_views.commit, name="scorm_commit"),
    path("scorm/<uuid:key>/<path:path>", scorm_views.package_file, name="scorm_file"),
    path("learn/videos/<int:lesson_id>/watch/", video_views.watch_report, name="video_watch"),
    re_path(
        r"^learn/videos/(?P<lesson_id>[0-9]+)/(?P<kind>video|captions|poster)/$",
        video_views.lesson_media,
        name="video_media",
    ),
    path("learn/video-status/<int:video_id>/", video_views.video_status, name="video_status"),
    path("learn/svo/<int:exercise_id>/", svo_views.worksheet_edit, name="svo_worksheet"),
    path(
        "learn/svo/worksheets/<int:pk>/autosave/",
        svo_views.worksheet_autosave,
        name="svo_autosave",
    ),
    path("review/", svo_views.review_list, name="review_queue"),
    path("review/<int:pk>/", svo_views.review_detail, name="review_detail"),
    path("review/units/", svo_views.unit_worksheet_list, name="unit_worksheets"),
    path("marking/", marking_views.queue, name="marking_queue"),
    path("marking/<int:pk>/", marking_views.mark, name="marking_detail"),
    path("plans/", plan_views.plan_index, name="plan_list"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plan_views.plan_edit, name="plan_edit"),
    path(
        "plans/new/<int:worksheet_pk>/<int:statement_pk>/",
        plan_views.plan_new,
        name="plan_new",
    ),
]
