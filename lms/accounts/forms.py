"""Forms of the lms app that are not tied to one screen's module."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from ..models import User


class SignInForm(auth_forms.AuthenticationForm):
    """Sign in with 職員番号 or e-mail address."""

    username = forms.CharField(
        label=_("Employee number or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": _(
            "The employee number, e-mail address or password is not correct. "
            "After several failed attempts the account is locked for a while."
        ),
        "inactive": _("This account is no longer active. Please contact HR."),
    }


class StaffPasswordResetForm(auth_forms.PasswordResetForm):
    """Password reset that also reaches staff who have never set a password.

    People created by the roster import start without a usable password; the reset e-mail is
    how they set their first one. Inactive people still get nothing.
    """

    def get_users(self, email):
        return User.objects.filter(email__iexact=email.strip(), is_active=True).exclude(email="")
