"""Sign-in with the city's OpenID provider (Microsoft Entra ID, or any OpenID Connect provider).

The flow is the Authorization Code flow with PKCE (S256), ``state`` and ``nonce``, built on
mozilla-django-oidc: its session bookkeeping of pending sign-ins (state → nonce and PKCE
verifier, at most ``OIDC_MAX_STATES`` per session, each used once) and its token exchange. What
it leaves to the site is done here, more strictly than its defaults:

- **Configuration** comes from the settings the environment sets (``OIDC_*`` in
  ``config/settings/base.py``), the endpoints from the issuer's discovery document, fetched on
  first use and kept for ``DISCOVERY_TTL``. The document must name the configured issuer.
- **The ID token** is checked against the provider's JWKS (asymmetric algorithms only; an
  unknown ``kid`` fetches the keys again once, so a provider's key rotation just works),
  for ``iss``, ``aud``, ``azp`` when present (required with several audiences), ``exp``,
  ``iat`` and ``nbf`` with ``OIDC_CLOCK_SKEW`` of tolerance, and the ``nonce`` of this
  sign-in. The library's own check skips the audience; it is not used.
- **The redirect URI** is built from ``SITE_URL`` (``core.links``), never from the Host header.
- **Who signs in** is decided by ``matching.person_for_sign_in``: a person of the roster, by
  the 職員番号 claim (``OIDC_EMPLOYEE_NUMBER_CLAIM``), or by a verified e-mail address when the
  city says so. Nobody is ever created.

Provider failures (unreachable, refused code, untrustworthy token, a ``state`` this browser
did not start) raise ``ProviderError``; ``failure_response`` shows the person what to do and
records the failure in the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import caches
from django.core.checks import Error, register
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import (
    add_state_and_verifier_and_nonce_to_session,
    generate_code_challenge,
)

from audit.models import AuditAction
from audit.services import record
from core.links import absolute_url
from core.mail import signature_context

from ..models import User
from .matching import person_for_sign_in

logger = logging.getLogger(__name__)

#: Seconds the discovery document and the JWKS are kept before they are fetched again.
DISCOVERY_TTL = 60 * 60
#: Signature algorithms accepted for ID tokens: public-key ones only, never ``none`` or an
#: HMAC keyed with the client secret.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
SCOPES = "openid profile email"
#: Session keys: the ID token of a person signed in here (``id_token_hint`` at sign-out) and
#: where to go after the sign-in.
SESSION_ID_TOKEN = "oidc_id_token"
SESSION_NEXT = "oidc_login_next"
#: The dotted path of the backend, as sessions name it.
BACKEND = "lms.accounts.oidc.RosterOIDCBackend"
MAX_CLOCK_SKEW = 300
#: Seconds a person has at the provider before the sign-in they started is forgotten.
PENDING_LIFETIME = 15 * 60


class Failure(models.TextChoices):
    """Why a sign-in with the provider failed (not who the person is: see ``Refusal``).
    Codes are stable: the audit log keeps them."""

    STATE = "state_mismatch", _("This sign-in was not started in this browser")
    DENIED = "provider_denied", _("Your organisation account did not allow the sign-in")
    CODE = "code_refused", _("The sign-in could not be completed")
    TOKEN = "token_invalid", _("The answer of the organisation account could not be trusted")
    UNREACHABLE = "provider_unreachable", _("The organisation account service did not answer")


#: What the person can do about each failure.
ADVICE = {
    Failure.STATE: _(
        "The sign-in took too long, was started in another tab or browser, or the address "
        "was changed. Go back to the sign-in page and press the sign-in button once more."
    ),
    Failure.DENIED: _(
        "The sign-in was cancelled, or your organisation account may not use this site. "
        "Try again; if it happens again, ask the IT help desk whether your account may "
        "use the training site."
    ),
    Failure.CODE: _(
        "The sign-in was already used or has expired. Go back to the sign-in page and "
        "press the sign-in button once more. Do not use the back button or a bookmark of "
        "the page you were sent to."
    ),
    Failure.TOKEN: _(
        "For your security, this site did not accept the answer it received. Try again in "
        "a few minutes; if it happens again, tell the IT help desk the date and time."
    ),
    Failure.UNREACHABLE: _(
        "The service that signs you in could not be reached. Try again in a few minutes; "
        "if it keeps happening, tell the IT help desk."
    ),
}

#: 400 for a sign-in this browser cannot complete, 502 when the provider failed us.
STATUS = {
    Failure.STATE: 400,
    Failure.DENIED: 400,
    Failure.CODE: 400,
    Failure.TOKEN: 502,
    Failure.UNREACHABLE: 502,
}


class ProviderError(Exception):
    """The sign-in with the provider cannot go on; ``reason`` is a ``Failure``."""

    def __init__(self, reason: Failure, detail: str = ""):
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason


# --- configuration ----------------------------------------------------------------------------


def oidc_enabled() -> bool:
    """Whether sign-in with the provider is configured (all three settings are set)."""
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID and settings.OIDC_CLIENT_SECRET)


@dataclass(frozen=True)
class Provider:
    """What the discovery document says, as far as this site uses it."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None
    basic_auth: bool  # the token endpoint wants client_secret_basic, not client_secret_post


def _cache_key(kind: str) -> str:
    digest = hashlib.sha256(settings.OIDC_ISSUER.encode()).hexdigest()[:16]
    return f"oidc:{kind}:{digest}"


def _get_json(url: str) -> dict:
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderError(Failure.UNREACHABLE, f"{url}: {type(error).__name__}") from error
    if not isinstance(data, dict):
        raise ProviderError(Failure.UNREACHABLE, f"{url}: not a JSON object")
    return data


def provider() -> Provider:
    """The provider's endpoints from its discovery document (fetched once per
    ``DISCOVERY_TTL`` and process). Raises ``ProviderError`` when it cannot be had or does
    not name the configured issuer."""
    document = caches["default"].get(_cache_key("discovery"))
    if document is None:
        issuer = settings.OIDC_ISSUER.rstrip("/")
        document = _get_json(f"{issuer}/.well-known/openid-configuration")
        # A document for another issuer (a wrong tenant, a proxy's page) is refused, not used.
        if str(document.get("issuer", "")).rstrip("/") != issuer:
            raise ProviderError(Failure.UNREACHABLE, "discovery names another issuer")
        missing = [
            key
            for key in ("authorization_endpoint", "token_endpoint", "jwks_uri")
            if not document.get(key)
        ]
        if missing:
            raise ProviderError(Failure.UNREACHABLE, f"discovery lacks {', '.join(missing)}")
        caches["default"].set(_cache_key("discovery"), document, DISCOVERY_TTL)
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    return Provider(
        issuer=document["issuer"],
        authorization_endpoint=document["authorization_endpoint"],
        token_endpoint=document["token_endpoint"],
        jwks_uri=document["jwks_uri"],
        end_session_endpoint=document.get("end_session_endpoint") or None,
        basic_auth="client_secret_post" not in methods,
    )


def redirect_uri() -> str:
    """Where the provider sends people back: ``SITE_URL`` and the callback's path."""
    return absolute_url(reverse("lms:oidc_callback"))


# --- the flow -----------------------------------------------------------------------------


def authorization_url(request: HttpRequest) -> str:
    """The provider's sign-in address for a new sign-in of this browser; the state, nonce
    and PKCE verifier are kept in the session (mozilla-django-oidc's bookkeeping)."""
    endpoint = provider().authorization_endpoint
    verifier = get_random_string(64)
    params = {
        "response_type": "code",
        "client_id": settings.OIDC_CLIENT_ID,
        "redirect_uri": redirect_uri(),
        "scope": SCOPES,
        "state": get_random_string(32),
        "nonce": get_random_string(32),
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
    }
    add_state_and_verifier_and_nonce_to_session(request, params["state"], params, verifier)
    separator = "&" if urlsplit(endpoint).query else "?"
    return f"{endpoint}{separator}{urlencode(params)}"


def take_pending_sign_in(request: HttpRequest, state: str) -> dict | None:
    """The nonce and verifier of the sign-in ``state`` names, removed from the session so that
    it is used once; None when this browser started no such sign-in."""
    pending = request.session.get("oidc_states")
    if not state or not isinstance(pending, dict) or state not in pending:
        return None
    entry = pending.pop(state)
    request.session["oidc_states"] = pending
    request.session.save()  # before the slow exchange: a replay in parallel finds it gone
    if time.time() - entry.get("added_on", 0) > PENDING_LIFETIME:
        return None
    return entry


def forget_pending_sign_ins(request: HttpRequest) -> bool:
    """Drop every sign-in this browser started; whether there was any."""
    return bool(request.session.pop("oidc_states", None))


class RosterOIDCBackend(OIDCAuthenticationBackend):
    """The provider's half of a sign-in: the token exchange and the ID token's checks, then the
    person of the roster the token names.

    It is listed in ``AUTHENTICATION_BACKENDS`` only so that sessions of people signed in by
    the provider can name it; ``authenticate()`` never signs anyone in, so a password sign-in
    never reaches the provider. The callback calls ``sign_in`` directly.
    """

    def __init__(self, *args, **kwargs):
        # The library reads its settings here; ours come from discovery, when they are needed.
        self.UserModel = User

    def authenticate(self, request, **kwargs):
        return None

    def get_user(self, user_id):
        # The library's returns inactive people too; Django's does not, so a person the roster
        # deactivated is signed out on their next request.
        return ModelBackend.get_user(self, user_id)

    def get_settings(self, attr, *args):
        """What the library asks of the settings, from ours (used by ``get_token``)."""
        values = {
            "OIDC_TOKEN_USE_BASIC_AUTH": self._provider.basic_auth,
            "OIDC_VERIFY_SSL": True,
            "OIDC_TIMEOUT": settings.OIDC_TIMEOUT,
            "OIDC_PROXY": None,
        }
        return values[attr]

    def sign_in(self, *, code: str, nonce: str, code_verifier: str) -> tuple[User, str]:
        """The person of the roster the provider vouches for, and the ID token.

        Raises ``ProviderError`` when the provider fails or its answer does not hold, and
        ``matching.SignInRefused`` (recorded) when the token names nobody who may sign in.
        """
        self._provider = provider()
        self.OIDC_OP_TOKEN_ENDPOINT = self._provider.token_endpoint
        try:
            answer = self.get_token(
                {
                    "client_id": settings.OIDC_CLIENT_ID,
                    "client_secret": settings.OIDC_CLIENT_SECRET,
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect_uri(),
                    "code_verifier": code_verifier,
                }
            )
        except requests.HTTPError as error:
            status = error.response.status_code if error.response is not None else 0
            reason = Failure.CODE if 400 <= status < 500 else Failure.UNREACHABLE
            raise ProviderError(reason, f"token endpoint answered {status}") from error
        except (requests.RequestException, ValueError) as error:
            raise ProviderError(Failure.UNREACHABLE, type(error).__name__) from error
        id_token = answer.get("id_token") if isinstance(answer, dict) else None
        if not isinstance(id_token, str):
            raise ProviderError(Failure.TOKEN, "no id_token in the token response")
        claims = verify_id_token(id_token, nonce=nonce, issuer=self._provider.issuer)
        email_verified = claims.get("email_verified")
        person = person_for_sign_in(
            source="oidc",
            employee_number=_claim_text(claims.get(settings.OIDC_EMPLOYEE_NUMBER_CLAIM)),
            email=_claim_text(claims.get("email")),
            email_verified=email_verified is True or email_verified == "true",
            match_email=settings.OIDC_MATCH_EMAIL,
        )
        return person, id_token


def _claim_text(value: Any) -> str | None:
    """A claim as text: numbers are accepted (some directories send the 職員番号 as one)."""
    if isinstance(value, bool) or value is None:
        return None
    return str(value) if isinstance(value, str | int) else None


# --- the ID token -----------------------------------------------------------------------------


def _jwks(*, fresh: bool = False) -> list[dict]:
    key = _cache_key("jwks")
    keys = None if fresh else caches["default"].get(key)
    if keys is None:
        keys = _get_json(provider().jwks_uri).get("keys")
        if not isinstance(keys, list):
            raise ProviderError(Failure.UNREACHABLE, "the JWKS has no keys")
        caches["default"].set(key, keys, DISCOVERY_TTL)
    return keys


def _find_key(keys: list[dict], kid: str | None, alg: str) -> dict | None:
    for jwk in keys:
        if not isinstance(jwk, dict) or jwk.get("use", "sig") != "sig":
            continue
        if kid is not None and jwk.get("kid") != kid:
            continue
        if jwk.get("alg", alg) != alg:
            continue
        return jwk
    return None


def signing_key(token: str) -> tuple[jwt.PyJWK, str]:
    """The provider's public key that signed ``token``, and the algorithm. A ``kid`` not in
    the cached JWKS fetches the keys again, once: the provider has rotated its keys."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as error:
        raise ProviderError(Failure.TOKEN, "the ID token is not a JWT") from error
    alg, kid = header.get("alg"), header.get("kid")
    if alg not in ALGORITHMS:
        raise ProviderError(Failure.TOKEN, f"algorithm {alg!r} not accepted")
    jwk = _find_key(_jwks(), kid, alg)
    if jwk is None:
        jwk = _find_key(_jwks(fresh=True), kid, alg)
    if jwk is None:
        raise ProviderError(Failure.TOKEN, "no key of the provider has this kid")
    try:
        return jwt.PyJWK(jwk, algorithm=alg), alg
    except jwt.PyJWKError as error:
        raise ProviderError(Failure.TOKEN, "the provider's key cannot be used") from error


def verify_id_token(token: str, *, nonce: str, issuer: str) -> dict:
    """The claims of ``token`` once its signature, issuer, audience, authorised party, times
    and nonce hold; ``ProviderError(Failure.TOKEN)`` otherwise."""
    key, alg = signing_key(token)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[alg],
            audience=settings.OIDC_CLIENT_ID,
            issuer=issuer,
            leeway=min(max(settings.OIDC_CLOCK_SKEW, 0), MAX_CLOCK_SKEW),
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.InvalidTokenError as error:
        # PyJWT's messages name the claim that failed and no personal data.
        raise ProviderError(Failure.TOKEN, str(error)) from error
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if ("azp" in claims or len(audiences) > 1) and claims.get("azp") != settings.OIDC_CLIENT_ID:
        raise ProviderError(Failure.TOKEN, "azp is not this client")
    if not hmac.compare_digest(str(claims.get("nonce", "")), nonce or "\0"):
        raise ProviderError(Failure.TOKEN, "nonce does not match this sign-in")
    return claims


# --- sign-out -------------------------------------------------------------------------------


def end_session_url(id_token: str) -> str | None:
    """The provider's sign-out address for the person whose ID token this is, returning to our
    sign-in page; None when the provider has none or cannot be reached (the sign-out here
    has happened anyway)."""
    try:
        endpoint = provider().end_session_endpoint
    except ProviderError as error:
        logger.warning("OpenID provider sign-out skipped: %s", error)
        return None
    if not endpoint:
        return None
    params = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": absolute_url(reverse("lms:login")),
        "client_id": settings.OIDC_CLIENT_ID,
    }
    separator = "&" if urlsplit(endpoint).query else "?"
    return f"{endpoint}{separator}{urlencode(params)}"


# --- what the person sees -------------------------------------------------------------------


def failure_response(
    request: HttpRequest, error: ProviderError, *, audit: bool = True
) -> HttpResponse:
    """The page of a failed sign-in (400 or 502): what happened and what to do; recorded in
    the audit log as a refused sign-in unless ``audit`` is false."""
    logger.warning("OpenID Connect sign-in failed: %s", error)
    if audit:
        record(
            action=AuditAction.SIGN_IN_REFUSED,
            actor=None,
            details={"reason": error.reason.value, "source": "oidc"},
        )
    return render(
        request,
        "registration/sign_in_failed.html",
        {
            "reason": error.reason,
            "title": error.reason.label,
            "advice": ADVICE[error.reason],
            "contact": signature_context()["contact"],
        },
        status=STATUS[error.reason],
    )


# --- system check -------------------------------------------------------------------------------


def _loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


@register()
def check_oidc_settings(app_configs, **kwargs) -> list[Error]:
    """Half a configuration is an error, not a quiet "off": the city meant to turn it on."""
    errors = []
    names = ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")
    given = [name for name in names if getattr(settings, name, "")]
    if given and len(given) < len(names):
        missing = ", ".join(name for name in names if name not in given)
        errors.append(
            Error(
                f"OpenID Connect sign-in is half configured: {missing} not set.",
                hint="Set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or none of them.",
                id="lms.E111",
            )
        )
    if settings.OIDC_ONLY and len(given) < len(names):
        errors.append(
            Error(
                "OIDC_ONLY hides the password form, but OpenID Connect sign-in is not "
                "configured: nobody could sign in.",
                hint="Configure OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or unset "
                "OIDC_ONLY.",
                id="lms.E112",
            )
        )
    issuer = urlsplit(settings.OIDC_ISSUER) if settings.OIDC_ISSUER else None
    if issuer is not None and not (
        issuer.scheme == "https" or (issuer.scheme == "http" and _loopback(issuer.hostname))
    ):
        errors.append(
            Error(
                "OIDC_ISSUER must be an https address, e.g. "
                "https://login.microsoftonline.com/<tenant id>/v2.0.",
                id="lms.E113",
            )
        )
    if not 0 <= settings.OIDC_CLOCK_SKEW <= MAX_CLOCK_SKEW:
        errors.append(
            Error(
                f"OIDC_CLOCK_SKEW must be between 0 and {MAX_CLOCK_SKEW} seconds.",
                id="lms.E114",
            )
        )
    return errors
