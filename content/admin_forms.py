"""Forms of the Wagtail admin that the CMS replaces.

Wagtail's login form leaves the password field's label to Django, which makes it from the
field's name ("Password"), so it never reaches a translation catalogue.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class CmsLoginForm(LoginForm):
    """Wagtail's sign-in form with every label translatable."""

    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"placeholder": _("Enter password")}),
        strip=False,
    )
