"""Sign-in with the city's directory, against a real slapd (``tests/helpers/slapd.py``).

Everything goes through the real sign-in view and session unless the point is what the
backend does before the network (an empty password, a plain connection): those are shown
with a loopback listener that records every byte it is sent.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.core.cache import caches
from django.core.checks import run_checks
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from lms.accounts.ldap import DirectoryBackend, check_directory_settings, user_filter
from lms.models import User
from tests.factories import UserFactory
from tests.helpers.slapd import (
    PEOPLE_BASE,
    READER_DN,
    READER_PASSWORD,
    free_port,
    running_directory,
    slapd_path,
)

pytestmark = [pytest.mark.ldap, pytest.mark.django_db]

DIRECTORY_BACKEND = "lms.accounts.ldap.DirectoryBackend"
LOCAL_BACKEND = "lms.accounts.backends.EmployeeNumberOrEmailBackend"
SATO_PASSWORD = "Sato-passw0rd!"
FILTER = "(&(objectClass=inetOrgPerson)(|(uid={login})(employeeNumber={login})))"

WRONG_LOGIN = "ユーザー名・職員番号またはパスワードが正しくありません"
UNAVAILABLE = "サインイン用サーバー（Active Directory）に、いま接続できません"


@pytest.fixture(scope="session")
def directory():
    if slapd_path() is None or shutil.which("openssl") is None:
        reason = (
            "!!! LDAP TESTS NOT RUN: Debian's slapd or openssl is not installed "
            "(apt-get install slapd ldap-utils openssl) !!!"
        )
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}:
            pytest.fail(reason + " CI=true needs them.")
        pytest.skip(reason)
    with running_directory() as running:
        yield running


@pytest.fixture
def ldap_settings(settings, directory):
    """The city's directory as the tests' slapd: LDAPS, the throwaway CA, inetOrgPerson with
    the 職員番号 in employeeNumber."""
    settings.LDAP_SERVER_URI = directory.ldaps_uri
    settings.LDAP_START_TLS = False
    settings.LDAP_BIND_DN = READER_DN
    settings.LDAP_BIND_PASSWORD = READER_PASSWORD
    settings.LDAP_USER_SEARCH_BASE = PEOPLE_BASE
    settings.LDAP_USER_FILTER = FILTER
    settings.LDAP_EMPLOYEE_NUMBER_ATTR = "employeeNumber"
    settings.LDAP_CA_FILE = str(directory.ca_file)
    settings.LDAP_TIMEOUT = 3
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        LOCAL_BACKEND,
        DIRECTORY_BACKEND,
    ]
    return settings


@pytest.fixture
def roster(db):
    """People imported from the roster, without a password of their own: only the directory
    signs them in. Suzuki has left; Tanaka (in the directory) was never imported."""
    return {
        "sato": UserFactory(employee_number="123456", from_roster=True, password=None),
        "suzuki": UserFactory(
            employee_number="234567", from_roster=True, password=None, is_active=False
        ),
        "twin": UserFactory(employee_number="345678", from_roster=True, password=None),
    }


def sign_in(client, login, password=SATO_PASSWORD):
    return client.post(reverse("lms:login"), {"username": login, "password": password})


def binds(directory, uid: str) -> int:
    """How many times slapd was asked to bind as ``uid`` so far (its stats log)."""
    return directory.log().count(f'BIND dn="uid={uid},{PEOPLE_BASE}" method=128')


class Listener:
    """A TCP server on loopback that records every byte sent to it and answers nothing:
    ``close`` hangs up after the first read (a server that refuses StartTLS by dropping the
    line), ``hang`` keeps the line open and silent (a directory that stopped answering)."""

    def __init__(self, mode: str = "close"):
        self.mode = mode
        self.received = b""
        self.connections = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                conn, _address = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.settimeout(0.2)
            with conn:
                while not self.stopping.is_set():
                    try:
                        data = conn.recv(65536)
                    except TimeoutError:
                        continue
                    except OSError:
                        break
                    if not data:
                        break
                    self.received += data
                    if self.mode == "close":
                        break

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def listener():
    started = []

    def start(mode="close"):
        started.append(Listener(mode))
        return started[-1]

    yield start
    for item in started:
        item.stop()


# Signing in -----------------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["sato.hanako", "SATO.HANAKO", "123456", "１２３４５６"])
def test_the_right_password_signs_in_through_the_directory(client, ldap_settings, roster, login):
    response = sign_in(client, login)
    assert response.status_code == 302
    assert response.url == reverse("lms:my_training")
    assert int(client.session[SESSION_KEY]) == roster["sato"].pk
    assert client.session[BACKEND_SESSION_KEY] == DIRECTORY_BACKEND
    # The session holds: the next page knows the person.
    assert client.get(reverse("lms:my_training")).status_code == 200
    assert not User.objects.get(pk=roster["sato"].pk).has_usable_password()


def test_the_sign_in_form_asks_for_the_user_name_when_the_directory_is_used(client, ldap_settings):
    assert "ユーザー名または職員番号" in client.get(reverse("lms:login")).content.decode()
    ldap_settings.LDAP_SERVER_URI = ""
    assert "職員番号またはメールアドレス" in client.get(reverse("lms:login")).content.decode()


def test_a_local_password_still_works_first(client, ldap_settings, directory):
    UserFactory(employee_number="555555", from_roster=True)  # the factory's own password
    before = directory.log().count("SRCH base=")
    response = sign_in(client, "555555", "correct-horse-battery")
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == LOCAL_BACKEND
    assert directory.log().count("SRCH base=") == before  # the directory was not asked


def test_a_wrong_password_fails_and_is_locked_out_by_axes(client, ldap_settings, roster, directory):
    for _ in range(ldap_settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "sato.hanako", "not-the-password")
        assert response.status_code == 200
        assert WRONG_LOGIN in response.content.decode()
        assert SESSION_KEY not in client.session
    # The last failure allowed locks the account at once.
    assert sign_in(client, "sato.hanako", "not-the-password").status_code == 429
    asked = binds(directory, "sato.hanako")
    # Locked: even the right password is refused, and the directory is not even asked.
    response = sign_in(client, "sato.hanako")
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    # The same counter for the same person spelt differently (lockout_username).
    assert sign_in(client, "Sato.Hanako").status_code == 429
    assert binds(directory, "sato.hanako") == asked


def test_an_unknown_user_is_a_wrong_login(client, ldap_settings, roster):
    response = sign_in(client, "nobody.here", "whatever-1")
    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()
    assert SESSION_KEY not in client.session
    assert not AuditEvent.objects.exists()


def test_someone_not_on_the_roster_is_refused_recorded_and_not_created(
    client, ldap_settings, roster
):
    users = User.objects.count()
    response = sign_in(client, "tanaka.jiro", "Tanaka-passw0rd!")
    assert response.status_code == 403
    body = response.content.decode()
    assert "職員名簿に登録されていません" in body
    assert "人事課 研修担当（内線 1234）" in body  # whom to ask
    assert SESSION_KEY not in client.session
    assert User.objects.count() == users
    event = AuditEvent.objects.get()
    assert event.action == AuditAction.SIGN_IN_REFUSED
    assert event.details == {"reason": "unknown", "source": "ldap"}
    assert "999999" not in str(event.details) and "tanaka" not in str(event.details)


def test_the_refusal_needs_the_right_password(client, ldap_settings, roster):
    """The refusal page says the directory knows the person: only after the password."""
    response = sign_in(client, "tanaka.jiro", "a-guess-1")
    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_a_person_who_left_is_refused(client, ldap_settings, roster):
    response = sign_in(client, "suzuki.ichiro", "Suzuki-passw0rd!")
    assert response.status_code == 403
    assert "このアカウントは現在無効です" in response.content.decode()
    assert SESSION_KEY not in client.session
    event = AuditEvent.objects.get()
    assert event.details == {"reason": "inactive", "source": "ldap"}
    assert event.target_id == str(roster["suzuki"].pk)


def test_a_person_back_in_the_roster_signs_in_to_their_old_record(client, ldap_settings, roster):
    suzuki = roster["suzuki"]
    assert sign_in(client, "suzuki.ichiro", "Suzuki-passw0rd!").status_code == 403
    suzuki.is_active = True  # re-hired: the next roster import lists them again
    suzuki.save(update_fields=["is_active"])
    assert sign_in(client, "suzuki.ichiro", "Suzuki-passw0rd!").status_code == 302
    assert int(client.session[SESSION_KEY]) == suzuki.pk


def test_an_entry_without_an_employee_number_is_refused(client, ldap_settings, roster):
    response = sign_in(client, "kato.noid", "Kato-passw0rd!")
    assert response.status_code == 403
    assert AuditEvent.objects.get().details == {"reason": "missing_claim", "source": "ldap"}


# Transport ------------------------------------------------------------------------------------


def test_start_tls_signs_in(client, ldap_settings, roster, directory):
    ldap_settings.LDAP_SERVER_URI = directory.ldap_uri
    ldap_settings.LDAP_START_TLS = True
    response = sign_in(client, "sato.hanako")
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == roster["sato"].pk
    assert "EXT oid=1.3.6.1.4.1.1466.20037" in directory.log()  # StartTLS was used


def test_ldaps_signs_in(client, ldap_settings, roster, directory):
    assert ldap_settings.LDAP_SERVER_URI.startswith("ldaps://")
    assert sign_in(client, "sato.hanako").status_code == 302


def test_plain_ldap_without_start_tls_sends_nothing(client, ldap_settings, roster, listener):
    plain = listener()
    ldap_settings.LDAP_SERVER_URI = f"ldap://127.0.0.1:{plain.port}"
    ldap_settings.LDAP_START_TLS = False
    response = sign_in(client, "sato.hanako")
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()
    time.sleep(0.3)
    assert plain.connections == 0 and plain.received == b""
    assert [error.id for error in check_directory_settings(None)] == ["lms.E101"]


def test_a_server_that_drops_start_tls_gets_no_password(client, ldap_settings, roster, listener):
    stripper = listener("close")
    ldap_settings.LDAP_SERVER_URI = f"ldap://127.0.0.1:{stripper.port}"
    ldap_settings.LDAP_START_TLS = True
    response = sign_in(client, "sato.hanako")
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()
    time.sleep(0.3)
    assert stripper.connections == 1
    assert b"1.3.6.1.4.1.1466.20037" in stripper.received  # it asked for StartTLS ...
    assert READER_PASSWORD.encode() not in stripper.received  # ... and sent no password
    assert SATO_PASSWORD.encode() not in stripper.received


def test_a_certificate_from_another_ca_is_refused(client, ldap_settings, roster, caplog):
    ldap_settings.LDAP_CA_FILE = ""  # the system's CAs, which never signed the test server
    response = sign_in(client, "sato.hanako")
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()
    assert "CERTIFICATE_VERIFY_FAILED" in caplog.text


def test_a_certificate_for_another_host_name_is_refused(client, ldap_settings, roster, caplog):
    # The certificate names 127.0.0.1 only; "localhost" is the same machine, another name.
    ldap_settings.LDAP_SERVER_URI = ldap_settings.LDAP_SERVER_URI.replace("127.0.0.1", "localhost")
    response = sign_in(client, "sato.hanako")
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()
    assert "Hostname mismatch" in caplog.text


# Attacks on the login and password -----------------------------------------------------------


def test_an_empty_password_never_reaches_the_directory(ldap_settings, roster, listener):
    """A simple bind with a name and no password is an unauthenticated bind, which some
    servers answer with success: it must never be sent."""
    trap = listener("hang")
    ldap_settings.LDAP_SERVER_URI = f"ldaps://127.0.0.1:{trap.port}"
    request = RequestFactory().post("/")
    assert DirectoryBackend().authenticate(request, username="sato.hanako", password="") is None
    time.sleep(0.3)
    assert trap.connections == 0


def test_an_empty_password_is_refused_by_the_form(client, ldap_settings, roster, directory):
    asked = binds(directory, "sato.hanako")
    response = sign_in(client, "sato.hanako", "")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert binds(directory, "sato.hanako") == asked


@pytest.mark.parametrize("login", ["*", "*)(uid=*", "sato*", "*)(|(uid=*", "sato.hanako)(uid=*"])
def test_filter_injection_finds_nobody(client, ldap_settings, roster, login, directory):
    response = sign_in(client, login)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert not AuditEvent.objects.exists()
    assert user_filter(login).count("(") == FILTER.count("(")  # the login adds no syntax
    assert "(uid=*)" not in directory.log()  # slapd never saw a wildcard of ours


@pytest.mark.parametrize(
    "login",
    ["sato\u200b.hanako", "sato.hanako\u00ad", "sato.hanako\ufe0f", "sato.\thanako", "sato\u2060"],
)
def test_invisible_characters_never_reach_the_directory(
    client, ldap_settings, roster, listener, login
):
    """Directories may ignore them when comparing names (RFC 4518), while each spelling has
    its own lockout counter: so they must sign nobody in, whatever the directory does."""
    trap = listener("hang")
    ldap_settings.LDAP_SERVER_URI = f"ldaps://127.0.0.1:{trap.port}"
    response = sign_in(client, login)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    time.sleep(0.3)
    assert trap.connections == 0


def test_a_login_that_matches_two_entries_signs_nobody_in(client, ldap_settings, roster, caplog):
    # "twin" is one entry's uid and another's employee number.
    response = sign_in(client, "twin", "Twin-passw0rd!")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert "more than one entry" in caplog.text


# The directory away ---------------------------------------------------------------------------


def test_a_directory_that_is_down_is_a_message_not_an_error(client, ldap_settings, roster, caplog):
    ldap_settings.LDAP_SERVER_URI = f"ldaps://127.0.0.1:{free_port()}"  # nothing listens
    response = sign_in(client, "sato.hanako")
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()
    assert SESSION_KEY not in client.session
    assert "Directory sign-in unavailable" in caplog.text
    assert SATO_PASSWORD not in caplog.text


def test_an_outage_locks_nobody_out(client, ldap_settings, roster, directory):
    """Nothing was tried: axes and the per-address limit do not count these attempts."""
    ldap_settings.LDAP_SERVER_URI = f"ldaps://127.0.0.1:{free_port()}"
    for _ in range(ldap_settings.AXES_FAILURE_LIMIT + 2):
        response = sign_in(client, "sato.hanako")
        assert response.status_code == 200
        assert UNAVAILABLE in response.content.decode()
    assert not AccessAttempt.objects.exists()
    # Back up: a wrong password is the first failure counted, and the right one signs in.
    ldap_settings.LDAP_SERVER_URI = directory.ldaps_uri
    assert sign_in(client, "sato.hanako", "a-guess-1").status_code == 200
    assert caches["throttle"].get("throttle:sign-in-failures:127.0.0.1") == 1
    assert AccessAttempt.objects.get().failures_since_start == 1
    assert sign_in(client, "sato.hanako").status_code == 302


def test_an_outage_still_counts_a_local_password_that_was_checked(client, ldap_settings, roster):
    UserFactory(employee_number="555555", from_roster=True)  # has a local password
    ldap_settings.LDAP_SERVER_URI = f"ldaps://127.0.0.1:{free_port()}"
    for _ in range(ldap_settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "555555", "a-guess-1").status_code == 200
    assert sign_in(client, "555555", "a-guess-1").status_code == 429


def test_a_directory_that_stops_answering_times_out(client, ldap_settings, roster, listener):
    silent = listener("hang")
    ldap_settings.LDAP_SERVER_URI = f"ldaps://127.0.0.1:{silent.port}"
    ldap_settings.LDAP_TIMEOUT = 1
    started = time.monotonic()
    response = sign_in(client, "sato.hanako")
    assert time.monotonic() - started < 10
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()


def test_a_wrong_service_account_password_is_a_message(client, ldap_settings, roster, caplog):
    ldap_settings.LDAP_BIND_PASSWORD = "not-the-reader-password"
    response = sign_in(client, "sato.hanako")
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()
    assert "service account" in caplog.text


# System checks --------------------------------------------------------------------------------


def check_ids(settings) -> list[str]:
    return sorted(message.id for message in run_checks() if message.id.startswith("lms.E10"))


def test_no_directory_no_checks(settings):
    settings.LDAP_SERVER_URI = ""
    settings.LDAP_USER_SEARCH_BASE = ""
    assert check_ids(settings) == []


def test_a_sound_configuration_passes_the_checks(ldap_settings):
    assert check_ids(ldap_settings) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"LDAP_SERVER_URI": "ldap://dc01.city.local", "LDAP_START_TLS": False}, "lms.E101"),
        ({"LDAP_SERVER_URI": "http://dc01.city.local"}, "lms.E101"),
        ({"LDAP_USER_SEARCH_BASE": "  "}, "lms.E102"),
        ({"LDAP_USER_FILTER": "(uid=yamada)"}, "lms.E103"),
        ({"LDAP_USER_FILTER": "(&(uid={login})"}, "lms.E103"),
        ({"LDAP_USER_FILTER": "uid={login}"}, "lms.E103"),
        ({"LDAP_CA_FILE": "/nonexistent/ca.pem"}, "lms.E104"),
        ({"LDAP_CA_FILE": __file__}, "lms.E104"),  # readable, but no certificate
    ],
)
def test_checks_report_what_cannot_work(settings, change, expected):
    settings.LDAP_SERVER_URI = "ldaps://dc01.city.local"
    settings.LDAP_START_TLS = False
    settings.LDAP_USER_SEARCH_BASE = "OU=Staff,DC=city,DC=local"
    settings.LDAP_USER_FILTER = FILTER
    settings.LDAP_CA_FILE = ""
    for name, value in change.items():
        setattr(settings, name, value)
    assert check_ids(settings) == [expected]


def test_start_tls_passes_the_transport_check(settings):
    settings.LDAP_SERVER_URI = "ldap://dc01.city.local"
    settings.LDAP_START_TLS = True
    settings.LDAP_USER_SEARCH_BASE = "OU=Staff,DC=city,DC=local"
    settings.LDAP_USER_FILTER = FILTER
    settings.LDAP_CA_FILE = ""
    assert check_ids(settings) == []
