"""The two steps of a sign-in with the OpenID provider: off to the provider, and back.

Both answer 404 while sign-in with a provider is not configured (``oidc.oidc_enabled``).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import oidc
from .matching import SignInRefused, refusal_response


def _safe_next(url: str) -> str:
    """``url`` if it stays on this site (by ``SITE_URL``, not the Host header), else ""."""
    site = urlsplit(settings.SITE_URL)
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={site.netloc}, require_https=site.scheme == "https"
    )
    return url if url and allowed else ""


@never_cache
@require_GET
def oidc_start(request: HttpRequest) -> HttpResponse:
    """Send the person to the provider, with a new state, nonce and PKCE challenge."""
    if not oidc.oidc_enabled():
        raise Http404
    try:
        url = oidc.authorization_url(request)
    except oidc.ProviderError as error:
        return oidc.failure_response(request, error)
    request.session[oidc.SESSION_NEXT] = _safe_next(request.GET.get("next", ""))
    return HttpResponseRedirect(url)


@never_cache
@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: check the state, exchange the code, sign the person in."""
    if not oidc.oidc_enabled():
        raise Http404
    pending = oidc.take_pending_sign_in(request, request.GET.get("state", ""))
    if pending is None:
        # No sign-in of this browser has this state: a forged or replayed link, another
        # browser's, or one too old. Recorded when this browser had a sign-in under way (a
        # wrong state then is worth a look), and that sign-in is dropped, so each entry in the
        # log costs a new start; a bare visit to this address is not recorded.
        started = oidc.forget_pending_sign_ins(request)
        return oidc.failure_response(request, oidc.ProviderError(oidc.Failure.STATE), audit=started)
    if request.GET.get("error"):
        error = oidc.ProviderError(oidc.Failure.DENIED, request.GET["error"][:40])
        return oidc.failure_response(request, error)
    code = request.GET.get("code", "")
    if not code:
        return oidc.failure_response(request, oidc.ProviderError(oidc.Failure.CODE, "no code"))
    try:
        # The backend is called directly, not through django.contrib.auth.authenticate():
        # that would send user_login_failed for every refusal, and django-axes and our
        # per-address limit (lms.accounts.throttle) would count a person the roster does not
        # list against the address, which for a city hall is one NAT address for everyone:
        # a morning of new staff not yet imported would pause password sign-in for all. The
        # provider has already checked the person's password and its own lockout.
        person, id_token = oidc.RosterOIDCBackend().sign_in(
            code=code, nonce=pending["nonce"], code_verifier=pending["code_verifier"]
        )
    except oidc.ProviderError as error:
        return oidc.failure_response(request, error)
    except SignInRefused as refusal:
        return refusal_response(request, refusal)
    next_url = request.session.pop(oidc.SESSION_NEXT, "")
    login(request, person, backend=oidc.BACKEND)
    # For the provider's sign-out (id_token_hint), and to know this person came that way.
    request.session[oidc.SESSION_ID_TOKEN] = id_token
    return HttpResponseRedirect(_safe_next(next_url) or resolve_url(settings.LOGIN_REDIRECT_URL))
