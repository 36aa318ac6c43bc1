"""Sign-in with the city's on-premises Active Directory (or any LDAP directory).

``DirectoryBackend`` is the last of the authentication backends (after django-axes and the
local password, ``config/settings/base.py``) and works only when ``LDAP_SERVER_URI`` is set.
For a login and password it

1. refuses an empty password before anything else: an LDAP simple bind with a name and an
   empty password is an *unauthenticated* bind, which some servers answer with "success"
   (RFC 4513, 5.1.2);
2. refuses to send anything over a plain ``ldap://`` connection unless ``LDAP_START_TLS`` is
   on; TLS certificates are checked by the standard library against ``LDAP_CA_FILE`` (or the
   system's CAs), host name included;
3. searches ``LDAP_USER_SEARCH_BASE`` with ``LDAP_USER_FILTER`` as the service account
   (``LDAP_BIND_DN``), the login escaped into ``{login}``; exactly one entry must match;
4. binds as that entry with the typed password;
5. reads the 職員番号 from ``LDAP_EMPLOYEE_NUMBER_ATTR`` of the entry and hands it to
   ``matching.person_for_sign_in``: only an active person of the roster signs in, nobody is
   created. A refusal (recorded in the audit log there) is left on the request as
   ``sign_in_refusal`` for the sign-in view to show (``views.SignInView``), and stops the
   sign-in (``PermissionDenied``).

A directory that cannot be reached (or whose certificate does not verify) is logged and
marked on the request as ``directory_unavailable``; the sign-in form then says so instead of
"wrong password". Every other failure, refusals included, is a failed sign-in for
django-axes and the per-address limit (``throttle``), counted under the same
``backends.lockout_username`` as a password failure. An attempt the directory could not
answer is not counted when no local password was checked either (``failure_not_counted``):
no password was tried, and counting it would lock staff out, or pause sign-in for a whole
NAT address, during a directory outage.

The library is ldap3 (pure Python): python-ldap and django-auth-ldap need the OpenLDAP and
SASL C headers to build. See the README, "Sign-in with an on-premises Active Directory".
"""

from __future__ import annotations

import contextlib
import logging
import os
import ssl
import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.backends import BaseBackend
from django.core import checks
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest

from org.people import normalize_employee_number

from ..models import User
from .matching import SignInRefused, person_for_sign_in

logger = logging.getLogger(__name__)

LOGIN_PLACEHOLDER = "{login}"


def configured() -> bool:
    """Whether the city signs its staff in with its directory (``LDAP_SERVER_URI`` set)."""
    return bool(settings.LDAP_SERVER_URI)


class DirectoryUnavailable(Exception):
    """The directory could not be asked (down, too slow, TLS refused, or misconfigured)."""


class DirectoryRefused(PermissionDenied):
    """The directory vouched for someone the roster does not let in (see ``matching``)."""


def _tls_class():
    from ldap3 import Tls

    class VerifiedTls(Tls):
        """ldap3's TLS, but verified by the standard library: ldap3 2.9 turns the context's
        host name check off and matches names itself with ``ssl.match_hostname``, which is
        gone from Python 3.12. Here the certificate chain and the host name (an IP address
        too) are checked in the handshake, and nothing older than TLS 1.2 is accepted."""

        def __init__(self, ca_file: str):
            super().__init__(validate=ssl.CERT_REQUIRED)
            self.dx_ca_file = ca_file or None

        def wrap_socket(self, connection, do_handshake=False):
            context = ssl.create_default_context(cafile=self.dx_ca_file)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            connection.socket = context.wrap_socket(
                connection.socket,
                server_hostname=connection.server.host,
                do_handshake_on_connect=do_handshake,
            )

    return VerifiedTls


def _escape(value: str) -> str:
    from ldap3.utils.conv import escape_filter_chars

    return escape_filter_chars(value)


def user_filter(login: str) -> str:
    """``LDAP_USER_FILTER`` with the login in place of ``{login}``, escaped (RFC 4515): a login
    such as ``*)(uid=*`` is looked for as those characters, not as filter syntax."""
    return settings.LDAP_USER_FILTER.replace(LOGIN_PLACEHOLDER, _escape(login))


def _server():
    """The ldap3 ``Server`` of ``LDAP_SERVER_URI`` and whether StartTLS is needed; refuses
    a plain connection (it would carry the password in clear)."""
    from ldap3 import NONE, Server

    parts = urlsplit(settings.LDAP_SERVER_URI)
    scheme = parts.scheme.lower()
    if scheme not in ("ldap", "ldaps") or not parts.hostname:
        raise DirectoryUnavailable("LDAP_SERVER_URI is not an ldaps:// or ldap:// address")
    start_tls = scheme == "ldap"
    if start_tls and not settings.LDAP_START_TLS:
        raise DirectoryUnavailable(
            "LDAP_SERVER_URI is plain ldap:// without LDAP_START_TLS: no password is sent"
        )
    server = Server(
        parts.hostname,
        port=parts.port or (636 if scheme == "ldaps" else 389),
        use_ssl=scheme == "ldaps",
        tls=_tls_class()(settings.LDAP_CA_FILE),
        get_info=NONE,
        connect_timeout=settings.LDAP_TIMEOUT,
    )
    return server, start_tls


def _bound(server, start_tls: bool, user: str | None, password: str | None):
    """An open connection bound as ``user`` (anonymous when None), or None when the
    directory refused the credentials. Other failures raise ``DirectoryUnavailable``."""
    from ldap3 import ANONYMOUS, SIMPLE, Connection
    from ldap3.core.exceptions import LDAPException

    connection = Connection(
        server,
        user=user,
        password=password,
        authentication=SIMPLE if user else ANONYMOUS,
        receive_timeout=settings.LDAP_TIMEOUT,
        auto_referrals=False,  # never follow a referral with anyone's password
        read_only=True,
        raise_exceptions=False,
    )
    try:
        connection.open()
        if start_tls:
            connection.start_tls()  # raises when the server refuses: nothing sent in clear
        if connection.bind():
            return connection
        result = connection.result or {}
    except (LDAPException, OSError, ssl.SSLError) as exc:
        _close(connection)
        raise DirectoryUnavailable(f"{type(exc).__name__}: {exc}") from exc
    _close(connection)
    if result.get("description") == "invalidCredentials":
        return None
    raise DirectoryUnavailable(f"bind refused: {result.get('description')}")


def _close(connection) -> None:
    with contextlib.suppress(Exception):  # the line may already be gone
        connection.unbind()


def _find(login: str) -> tuple[str, str | None] | None:
    """The DN and the 職員番号 of the one entry the filter finds for ``login``, else None."""
    server, start_tls = _server()
    service = _bound(server, start_tls, settings.LDAP_BIND_DN or None, settings.LDAP_BIND_PASSWORD)
    if service is None:
        raise DirectoryUnavailable("the service account (LDAP_BIND_DN) was refused")
    attribute = settings.LDAP_EMPLOYEE_NUMBER_ATTR
    try:
        from ldap3 import SUBTREE

        ok = service.search(
            settings.LDAP_USER_SEARCH_BASE,
            user_filter(login),
            search_scope=SUBTREE,
            attributes=[attribute],
            size_limit=2,
            time_limit=settings.LDAP_TIMEOUT,
        )
        result = service.result or {}
        entries = [item for item in service.response or () if item.get("type") == "searchResEntry"]
    except Exception as exc:
        raise DirectoryUnavailable(f"search failed: {type(exc).__name__}: {exc}") from exc
    finally:
        _close(service)
    outcome = result.get("description")
    if not ok and outcome not in ("success", "sizeLimitExceeded"):
        # noSuchObject: LDAP_USER_SEARCH_BASE does not exist; others: the server said no.
        raise DirectoryUnavailable(f"search refused: {outcome}")
    if len(entries) != 1:
        if len(entries) > 1:
            logger.warning("Directory sign-in: the login matched more than one entry; refused")
        return None
    entry = entries[0]
    values = entry.get("raw_attributes", {}).get(attribute) or []
    number = values[0].decode("utf-8", "replace").strip() if values else None
    return entry["dn"], number or None


def _plain(login: str) -> bool:
    """No invisible or combining characters: directories ignore some of them when they
    compare names (RFC 4518 maps U+200B, U+00AD, U+FE0F ... to nothing), so with them one
    account could be tried under many django-axes counters (``backends.lockout_username``
    keeps them). A login that has them signs nobody in."""
    return all(
        char.isprintable() and not unicodedata.category(char).startswith("M") for char in login
    )


def authenticate_with_directory(login: str, password: str) -> User | None:
    """The roster person the directory vouches for, None on a wrong login or password.

    Raises ``DirectoryUnavailable`` when the directory cannot answer, ``SignInRefused`` when it
    vouches for someone who may not sign in (recorded by ``person_for_sign_in``)."""
    if not password:  # an empty password would make the bind anonymous, and "succeed"
        return None
    login = unicodedata.normalize("NFKC", login or "").strip()
    if not login or not _plain(login):
        return None
    found = _find(login)
    if found is None:
        return None
    dn, number = found
    if not dn.strip():  # a bind with no name is anonymous, whatever the password
        return None
    server, start_tls = _server()
    connection = _bound(server, start_tls, dn, password)
    if connection is None:
        return None
    _close(connection)
    return person_for_sign_in(source="ldap", employee_number=number)


class DirectoryBackend(BaseBackend):
    """Django's side of the directory sign-in; see the module docstring."""

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if not configured() or username is None or not password:
            return None
        try:
            user = authenticate_with_directory(username, password)
        except DirectoryUnavailable as exc:
            logger.error("Directory sign-in unavailable: %s", exc)
            if request is not None:
                request.directory_unavailable = True
                request.sign_in_failure_not_counted = not _local_password_checked(username)
            return None
        except SignInRefused as refusal:
            if request is not None:
                request.sign_in_refusal = refusal
            raise DirectoryRefused(refusal.reason.value) from refusal
        return user

    def get_user(self, user_id):
        user = User._default_manager.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None


def _local_password_checked(login: str) -> bool:
    """Whether the local password backend (before this one) had a password to check for
    ``login``: the account ``backends.EmployeeNumberOrEmailBackend`` finds, if usable."""
    login = login.strip()
    query = Q(employee_number=normalize_employee_number(login))
    if "@" in login:
        query |= Q(email__iexact=login)
    user = User.objects.filter(query).first()
    return user is not None and user.has_usable_password()


def failure_not_counted(request: HttpRequest | None, credentials: dict | None = None) -> bool:
    """``AXES_WHITELIST_CALLABLE``: the failed sign-in tried no password (the directory could
    not be asked, and there was no local password). Set only after the backends have run, so
    it never lifts a lockout; ``throttle`` skips the same attempts."""
    return bool(getattr(request, "sign_in_failure_not_counted", False))


# System checks -------------------------------------------------------------------------------


@checks.register()
def check_directory_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The directory settings, when ``LDAP_SERVER_URI`` is set: a plain connection, a missing
    search base, a filter that cannot work, a CA file that cannot be read."""
    if not configured():
        return []
    errors = []
    parts = urlsplit(settings.LDAP_SERVER_URI)
    scheme = parts.scheme.lower()
    if scheme not in ("ldap", "ldaps") or not parts.hostname:
        errors.append(
            checks.Error(
                "LDAP_SERVER_URI must be an ldaps:// or ldap:// address with a host.",
                hint="For example ldaps://dc01.city.local:636.",
                id="lms.E101",
            )
        )
    elif scheme == "ldap" and not settings.LDAP_START_TLS:
        errors.append(
            checks.Error(
                "LDAP_SERVER_URI is plain ldap:// and LDAP_START_TLS is off: passwords would "
                "cross the network in clear, so the directory sign-in refuses to work.",
                hint="Use ldaps://, or set LDAP_START_TLS=true.",
                id="lms.E101",
            )
        )
    if not settings.LDAP_USER_SEARCH_BASE.strip():
        errors.append(
            checks.Error(
                "LDAP_USER_SEARCH_BASE is empty: the directory sign-in has nowhere to look.",
                hint="For example OU=Staff,DC=city,DC=local.",
                id="lms.E102",
            )
        )
    problem = _filter_problem(settings.LDAP_USER_FILTER)
    if problem:
        errors.append(
            checks.Error(
                f"LDAP_USER_FILTER {problem}.",
                hint="For example (&(objectClass=user)(sAMAccountName={login})).",
                id="lms.E103",
            )
        )
    ca_file = settings.LDAP_CA_FILE
    if ca_file and not (os.path.isfile(ca_file) and os.access(ca_file, os.R_OK)):
        errors.append(
            checks.Error(
                f"LDAP_CA_FILE {ca_file} cannot be read.",
                hint="Give the path of the PEM file of the CA that signed the directory's "
                "certificate, readable by the application's user.",
                id="lms.E104",
            )
        )
    elif ca_file:
        try:
            ssl.create_default_context(cafile=ca_file)
        except (ssl.SSLError, OSError, ValueError):
            errors.append(
                checks.Error(
                    f"LDAP_CA_FILE {ca_file} holds no PEM certificate.",
                    id="lms.E104",
                )
            )
    return errors


def _filter_problem(search_filter: str) -> str | None:
    if LOGIN_PLACEHOLDER not in search_filter:
        return "has no {login} for the typed user name"
    from ldap3.core.exceptions import LDAPException
    from ldap3.operation.search import parse_filter

    try:
        parse_filter(
            search_filter.replace(LOGIN_PLACEHOLDER, "x"),
            None,
            auto_escape=False,
            auto_encode=True,
            validator=None,
            check_names=False,
        )
    except (LDAPException, ValueError, IndexError, KeyError) as exc:
        return f"cannot be parsed ({type(exc).__name__})"
    return None
