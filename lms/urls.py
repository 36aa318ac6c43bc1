"""The lms screens: my training and certificates, sign-in, and HR's training administration
(assignments, the dashboard and its exports, the reading report, reminders)."""

from django.urls import path

from .accounts import oidc_views
from .accounts import views as accounts
from .accounts.activation_views import activate, activate_password, activation_codes
from .accounts.language import set_language
from .certificates import views as certificates
from .enrolment import views as enrolment
from .my_training import views as my_training
from .reminders import views as reminders
from .reports import reading_views as reading
from .reports import schedule_views as schedules
from .reports import views as reports

app_name = "lms"

urlpatterns = [
    path("", my_training.my_training, name="my_training"),
    path("hr/training/", reports.dashboard, name="dashboard"),
    path("hr/training.csv", reports.dashboard_csv, name="dashboard_csv"),
    path("hr/training.xlsx", reports.dashboard_xlsx, name="dashboard_xlsx"),
    path("hr/training/people.csv", reports.people_csv, name="people_csv"),
    path("hr/training/people.xlsx", reports.people_xlsx, name="people_xlsx"),
    path("hr/training/schedules/", schedules.schedule_list, name="schedules"),
    path("hr/training/schedules/new/", schedules.schedule_create, name="schedule_create"),
    path("hr/training/schedules/<int:pk>/", schedules.schedule_edit, name="schedule_edit"),
    path(
        "hr/training/schedules/<int:pk>/active/",
        schedules.schedule_set_active,
        name="schedule_set_active",
    ),
    path(
        "hr/training/schedules/<int:pk>/delete/",
        schedules.schedule_delete,
        name="schedule_delete",
    ),
    path("hr/assignments/", enrolment.assignment_list, name="assignments"),
    path(
        "hr/assignments/<int:pk>/cancel/",
        enrolment.assignment_cancel_view,
        name="assignment_cancel",
    ),
    path("hr/reminders/", reminders.reminder_log, name="reminder_log"),
    path("hr/reminders/send/", reminders.reminder_send, name="reminder_send"),
    path("hr/reading/", reading.report, name="reading_report"),
    path("hr/reading.csv", reading.report_csv, name="reading_report_csv"),
    path(
        "certificates/<int:pk>.pdf", certificates.certificate_download, name="certificate_download"
    ),
    path("certificates/verify/", certificates.certificate_verify_view, name="certificate_verify"),
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    # The language switch in the header: Django's, keeping a signed-in person's choice too.
    path("accounts/language/", set_language, name="language"),
    path("accounts/logout/", accounts.SignOutView.as_view(), name="logout"),
    path("accounts/oidc/start/", oidc_views.oidc_start, name="oidc_start"),
    path("accounts/oidc/callback/", oidc_views.oidc_callback, name="oidc_callback"),
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
    # First sign-in without IT: HR prints one-time codes, staff set their password with one.
    path("hr/activation-codes/", activation_codes, name="activation_codes"),
    path("accounts/activate/", activate, name="activate"),
    path("accounts/activate/password/", activate_password, name="activate_password"),
]
