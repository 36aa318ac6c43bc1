"""Sign-in, sign-out and password views: Django's own, with our forms and templates."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy

from core.mail import signature_context

from . import throttle
from .forms import SignInForm, StaffPasswordResetForm
from .matching import refusal_response


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        """A person the directory vouched for but the roster does not let in sees why, and
        whom to ask (``ldap.DirectoryBackend`` leaves the refusal on the request)."""
        refusal = getattr(self.request, "sign_in_refusal", None)
        if refusal is not None:
            return refusal_response(self.request, refusal)
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("lms:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """The reset form; mails are limited per account and per client address
    (``lms.accounts.throttle``), and a refused request sees the same "sent" page."""

    form_class = StaffPasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("lms:password_reset_done")

    @property
    def extra_email_context(self) -> dict[str, str]:
        """The link and the signature come from the settings (``SITE_URL``), not from the host
        the request named: a forged Host header cannot redirect the reset link."""
        return {**signature_context(), "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if throttle.password_reset_mail_allowed(self.request, email=email):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("lms:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
