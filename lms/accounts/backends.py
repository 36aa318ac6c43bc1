"""Sign-in with the employee number (職員番号) or the e-mail address, and the first sign-in
with an activation code."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from org.people import normalize_employee_number

from ..models import User
from .activation import activation_code_check


def lockout_username(request, credentials: dict | None) -> str | None:
    """The login as django-axes should count it: one counter per account.

    An e-mail address of a known person counts under their 職員番号, so trying the e-mail and the
    number alternately does not double the attempts; other logins are width- and case-normalised.
    """
    login = (credentials or {}).get("username") or request.POST.get("username")
    if not login:
        return None
    login = login.strip()
    if "@" not in login:
        return normalize_employee_number(login)
    number = (
        User.objects.filter(email__iexact=login).values_list("employee_number", flat=True).first()
    )
    return number or login.lower()


class EmployeeNumberOrEmailBackend(ModelBackend):
    """Authenticate by 職員番号 (full-width digits accepted) or by e-mail, case-insensitively.

    Inactive people (those who left) cannot sign in: ``user_can_authenticate`` refuses them.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        login = username.strip()
        query = Q(employee_number=normalize_employee_number(login))
        if "@" in login:
            query |= Q(email__iexact=login)
        user = User.objects.filter(query).first()
        if user is None:
            # Run the hasher once anyway so response time does not reveal unknown accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class ActivationCodeBackend(ModelBackend):
    """Authenticate by 職員番号 and a one-time activation code (``lms.accounts.activation``).

    Called through ``django.contrib.auth.authenticate(request, username=...,
    activation_secret=...)``, after the axes backend: failures are counted, and locked out,
    under the same ``lockout_username`` as passwords. The credential's name contains
    "secret", so Django masks it in the ``user_login_failed`` signal. Returns the person for a
    usable code of an active roster person, with the code as ``user.activation_code``; the
    code is spent only when the password is set (``activation_code_use``). Sessions of people
    signed in this way name this backend; ``get_user`` refuses inactive people.
    """

    def authenticate(self, request, username=None, activation_secret=None, **kwargs):
        if not username or not activation_secret:
            return None
        code = activation_code_check(employee_number=username, code=activation_secret)
        if code is None or not self.user_can_authenticate(code.user):
            return None
        user = code.user
        user.activation_code = code
        return user
