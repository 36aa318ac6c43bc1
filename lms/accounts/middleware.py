"""Refuse sign-in from an address that failed too often (``lms.accounts.throttle``)."""

from django.conf import settings
from django.shortcuts import render

from . import throttle

#: Every page that signs people in: ours (password and activation code), the Django admin's
#: and Wagtail's.
SIGN_IN_VIEWS = frozenset({"lms:login", "lms:activate", "admin:login", "wagtailadmin_login"})


class SignInThrottleMiddleware:
    """A POST to a sign-in page from a paused address gets the "please wait" page (429)
    before the view runs, so no password is checked and no account counter moves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            request.method == "POST"
            and match is not None
            and match.view_name in SIGN_IN_VIEWS
            and throttle.sign_in_refused(request)
        ):
            minutes = max(1, settings.SIGN_IN_ADDRESS_WINDOW // 60)
            return render(
                request, "registration/sign_in_paused.html", {"minutes": minutes}, status=429
            )
        return None
