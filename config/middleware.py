"""Request middleware of the project: language, request context, Content-Security-Policy."""

import re
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from config.request_context import reset_current_request, set_current_request

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class JapaneseFirstLocaleMiddleware(LocaleMiddleware):
    """Japanese unless the person chose another language with the switch in the header.

    Django's own middleware follows the browser's Accept-Language, so a PC set up in English
    would show a city hall's training in English. Here only the person's choice overrides
    ``LANGUAGE_CODE``: the language kept on their record when signed in (it follows them to
    any PC), else the cookie the switch sets. It runs after the authentication middleware.
    """

    def process_request(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None else ""
        if chosen not in supported:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RequestContextMiddleware:
    """Give each request an id and make the request reachable from logs and the audit log.

    The id comes from the proxy's ``X-Request-ID`` when it is a short token (so a line in the
    proxy's log and ours can be matched), else a new random one; it is sent back in the
    response header of the same name.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request.request_id = offered if _REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        token = set_current_request(request)
        try:
            response = self.get_response(request)
        finally:
            reset_current_request(token)
        response["X-Request-ID"] = request.request_id
        return response


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy of ``settings.CSP_POLICY`` with every response.

    Our templates have no inline scripts or styles, so the site policy allows scripts and
    styles from our own origin only. The Wagtail and Django admins still render inline scripts
    and styles (panels, date widgets), so paths under ``CSP_ADMIN_PATHS`` get the looser
    ``CSP_ADMIN_POLICY``. A view that sets the header itself keeps its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path_info.startswith(tuple(settings.CSP_ADMIN_PATHS))
            policy = settings.CSP_ADMIN_POLICY if admin else settings.CSP_POLICY
            response["Content-Security-Policy"] = csp_header(_with_sign_in_provider(policy))
        return response


def _with_sign_in_provider(policy: dict[str, list[str]]) -> dict[str, list[str]]:
    """``policy`` letting forms lead to the OpenID provider (``OIDC_ISSUER``'s origin), if one
    is configured: the sign-out form is answered with a redirect to the provider's sign-out,
    and browsers apply ``form-action`` to where a form's redirects lead, too."""
    issuer = urlsplit(getattr(settings, "OIDC_ISSUER", ""))
    if not (issuer.scheme and issuer.netloc):
        return policy
    origin = f"{issuer.scheme}://{issuer.netloc}"
    return {**policy, "form-action": [*policy.get("form-action", []), origin]}


def csp_header(policy: dict[str, list[str]]) -> str:
    """``{"default-src": ["'self'"]}`` -> ``default-src 'self'``, directives in order."""
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())
