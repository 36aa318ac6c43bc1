"""The organisation's screens: the roster of people by unit and HR's roster import."""

from django.urls import path

from . import views
from .roster import views as roster_views

app_name = "org"

urlpatterns = [
    path("hr/roster/", views.roster, name="roster"),
    path("hr/roster/import/", roster_views.upload, name="roster_import_upload"),
    path("hr/roster/import/<int:pk>/", roster_views.detail, name="roster_import_detail"),
    path(
        "hr/roster/import/<int:pk>/status/",
        roster_views.status,
        name="roster_import_status",
    ),
    path("hr/roster/import/<int:pk>/apply/", roster_views.apply, name="roster_import_apply"),
    path("hr/roster/import/<int:pk>/cancel/", roster_views.cancel, name="roster_import_cancel"),
    path("hr/roster/import/<int:pk>/file/", roster_views.download, name="roster_import_file"),
    path("hr/roster/import/sample.csv", roster_views.sample, name="roster_import_sample"),
]
