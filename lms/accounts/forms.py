"""Forms of the lms app that are not tied to one screen's module."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
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
        "invalid_login_directory": _(
            "The user name, employee number or password is not correct. "
            "After several failed attempts the account is locked for a while."
        ),
        "directory_unavailable": _(
            "The sign-in server of the city (Active Directory) cannot be reached just now. "
            "Please try again in a few minutes; if it goes on, contact the IT help desk."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if settings.LDAP_SERVER_URI:  # people sign in with their Windows sign-in name too
            self.fields["username"].label = _("User name or employee number")

    def get_invalid_login_error(self) -> ValidationError:
        """The wrong-login message, or that the directory could not be asked (``ldap``)."""
        if getattr(self.request, "directory_unavailable", False):
            return ValidationError(
                self.error_messages["directory_unavailable"], code="directory_unavailable"
            )
        if settings.LDAP_SERVER_URI:
            return ValidationError(
                self.error_messages["invalid_login_directory"], code="invalid_login"
            )
        return super().get_invalid_login_error()


class StaffPasswordResetForm(auth_forms.PasswordResetForm):
    """Password reset that also reaches staff who have never set a password.

    People created by the roster import start without a usable password; the reset e-mail is
    how they set their first one. Inactive people still get nothing.
    """

    def get_users(self, email):
        return User.objects.filter(email__iexact=email.strip(), is_active=True).exclude(email="")
