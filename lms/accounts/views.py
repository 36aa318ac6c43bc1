"""Sign-in, sign-out and password views: Django's own, with our forms and templates."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from core.mail import signature_context

from . import oidc, throttle
from .forms import SignInForm, StaffPasswordResetForm
from .matching import refusal_response


class SignInView(auth_views.LoginView):
    """The password form, and first the provider's button when OpenID Connect is configured.

    With ``OIDC_ONLY`` the password form is shown, and taken, only at ``?local=1`` (for
    administrators): hiding it would not stop a password POSTed by hand.
    """

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

    def password_hidden(self) -> bool:
        return settings.OIDC_ONLY and oidc.oidc_enabled() and self.request.GET.get("local") != "1"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if oidc.oidc_enabled():
            next_url = context.get(self.redirect_field_name) or ""
            query = f"?{urlencode({'next': next_url})}" if next_url else ""
            context["oidc"] = {
                "label": settings.OIDC_BUTTON_LABEL or _("Sign in with your organisation account"),
                "url": reverse("lms:oidc_start") + query,
                "password_hidden": self.password_hidden(),
            }
        return context

    def post(self, request, *args, **kwargs):
        if self.password_hidden():
            # An unbound form: a bound one would be validated, i.e. the password checked.
            form = self.form_class(request=request)
            context = self.get_context_data(form=form, password_refused=True)
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)


class SignOutView(auth_views.LogoutView):
    """Sign out here and, for a person signed in by the provider, at the provider too when it
    offers ``end_session_endpoint``; it sends them back to our sign-in page."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(oidc.SESSION_ID_TOKEN)
        response = super().post(request, *args, **kwargs)
        if id_token and oidc.oidc_enabled():
            provider_sign_out = oidc.end_session_url(id_token)
            if provider_sign_out:
                return HttpResponseRedirect(provider_sign_out)
        return response


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
