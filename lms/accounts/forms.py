"""Forms of the lms app that are not tied to one screen's module."""

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from org.models import OrgUnit

from ..models import User
from .activation import parse_employee_numbers


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


class ActivationCodeForm(forms.Form):
    """The first step of a first sign-in: 職員番号 and the code from the slip.

    The check goes through ``authenticate`` (``ActivationCodeBackend``), so django-axes counts
    a failure, and locks out, under the same login as a wrong password. One message for every
    failure: it does not tell whether the number exists or has a code.
    """

    username = forms.CharField(
        label=_("Employee number"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "inputmode": "numeric"}
        ),
    )
    code = forms.CharField(
        label=_("Activation code"),
        max_length=32,
        help_text=_("The 8 letters and digits on your slip. Spaces and small letters are fine."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
    )

    error_messages = {
        "invalid": _(
            "The employee number or the activation code is not correct, or the code has "
            "expired or was used already. After several failed attempts the account is "
            "locked for a while."
        ),
    }

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.user = authenticate(
            self.request, username=data["username"], activation_secret=data["code"]
        )
        if self.user is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return data


class ActivationAudienceForm(forms.Form):
    """Who gets activation slips: a unit (with everything under it) or pasted 職員番号.

    The page offers the two as separate forms; exactly one may be given. ``expected`` is the
    number of people the preview showed, sent back with the confirmation."""

    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.current(),
        required=False,
        widget=forms.RadioSelect,
    )
    employee_numbers = forms.CharField(
        label=_("Employee numbers"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("One per line, or separated by spaces or commas (pasted from Excel is fine)."),
    )
    expected = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        text = (data.get("employee_numbers") or "").strip()
        if unit is not None and text:
            raise forms.ValidationError(
                _("Choose a unit or paste employee numbers, not both."), code="both"
            )
        if unit is None and not text and not self.errors:
            raise forms.ValidationError(
                _("Choose a unit or paste employee numbers."), code="neither"
            )
        return data

    def choice(self) -> dict:
        """The audience as ``activation_audience`` takes it."""
        unit = self.cleaned_data.get("unit")
        if unit is not None:
            return {"unit": unit}
        return {"employee_numbers": parse_employee_numbers(self.cleaned_data["employee_numbers"])}

    def unit_groups(self) -> list[dict]:
        """Every current unit under its top unit (部 or 局), in tree order, indented by level,
        with the chosen one marked: the folds of the picker (one query)."""
        chosen = str(self["unit"].value() or "")
        groups: list[dict] = []
        rows = OrgUnit.objects.current().order_by("path").values_list("pk", "name", "depth")
        rows = list(rows)
        top = min((depth for _pk, _name, depth in rows), default=1)
        for pk, name, depth in rows:
            if depth == top or not groups:
                groups.append({"name": name, "choices": [], "chosen": False})
            checked = str(pk) == chosen
            groups[-1]["chosen"] |= checked
            groups[-1]["choices"].append(
                {"pk": pk, "name": name, "level": depth - top + 1, "checked": checked}
            )
        return groups
