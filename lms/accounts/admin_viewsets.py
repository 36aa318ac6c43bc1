"""Wagtail's user admin, adapted to staff members (no first/last name, employee number)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

from ..models import User

STAFF_FIELDS = {"employee_number", "email", "display_name", "kana", "is_superuser", "groups"}


class StaffUserCreationForm(UserCreationForm):
    first_name = None
    last_name = None
    email = forms.EmailField(required=False, label=_("E-mail address"))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = STAFF_FIELDS


class StaffUserEditForm(UserEditForm):
    first_name = None
    last_name = None
    email = forms.EmailField(required=False, label=_("E-mail address"))

    class Meta(UserEditForm.Meta):
        model = User
        fields = STAFF_FIELDS | {"is_active"}


class StaffUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return StaffUserEditForm if for_update else StaffUserCreationForm
