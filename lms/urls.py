from django.urls import path

from .views import accounts, home, reading
from .views.assignments import assignment_cancel_view, assignment_list
from .views.certificates import certificate_download, certificate_verify_view
from .views.dashboard import dashboard, dashboard_csv, dashboard_xlsx
from .views.reminders import reminder_log, reminder_send

app_name = "lms"

urlpatterns = [
    path("", home.my_training, name="my_training"),
    path("hr/training/", dashboard, name="dashboard"),
    path("hr/training.csv", dashboard_csv, name="dashboard_csv"),
    path("hr/training.xlsx", dashboard_xlsx, name="dashboard_xlsx"),
    path("hr/assignments/", assignment_list, name="assignments"),
    path("hr/reminders/", reminder_log, name="reminder_log"),
    path("certificates/<int:pk>.pdf", certificate_download, name="certificate_download"),
    path("certificates/verify/", certificate_verify_view, name="certificate_verify"),
    path("hr/reminders/send/", reminder_send, name="reminder_send"),
    path("hr/assignments/<int:pk>/cancel/", assignment_cancel_view, name="assignment_cancel"),
    path("hr/reading/", reading.report, name="reading_report"),
    path("hr/reading.csv", reading.report_csv, name="reading_report_csv"),
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path("accounts/logout/", accounts.SignOutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        accounts.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        accounts.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
