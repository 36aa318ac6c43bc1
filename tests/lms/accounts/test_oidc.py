"""Sign-in with an OpenID provider, against a real provider process (tests/oidc_provider).

The browser's part is played by Django's test client and ``requests``: the client starts the
sign-in, ``requests`` follows the provider's redirect (the provider signs in whoever the test
chose), and the client comes back to the callback with the code and state. Everything between
the site and the provider (discovery, token exchange, keys) is real HTTP on loopback.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from axes.models import AccessAttempt
from django.core.checks import Error
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from lms.accounts import oidc
from lms.models import User
from tests.factories import UserFactory
from tests.org.roster_files import csv_bytes, roster_line

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def clerk():
    return UserFactory(
        employee_number="A01234",
        email="hanako@city.example.jp",
        from_roster=True,
        password=PASSWORD,
    )


def go_to_provider(client, *, start_query: str = "") -> requests.Response:
    """Start a sign-in and let the provider answer (it redirects back with code and state)."""
    start = client.get(reverse("lms:oidc_start") + start_query)
    assert start.status_code == 302, start.content[:500]
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return answer


def callback_path(answer: requests.Response) -> str:
    back = urlsplit(answer.headers["Location"])
    assert back.path == reverse("lms:oidc_callback")
    return f"{back.path}?{back.query}"


def sign_in(client, *, start_query: str = ""):
    """The whole round trip; the callback's response."""
    return client.get(callback_path(go_to_provider(client, start_query=start_query)))


def refusals() -> list[dict]:
    return [
        event.details
        for event in AuditEvent.objects.filter(action=AuditAction.SIGN_IN_REFUSED).order_by("pk")
    ]


def signed_in_as(client) -> User | None:
    user = client.get(reverse("lms:my_training")).wsgi_request.user
    return user if user.is_authenticated else None


# --- configuration ------------------------------------------------------------------------


def test_without_configuration_the_routes_do_not_exist(client, settings):
    settings.OIDC_ISSUER = ""
    assert client.get(reverse("lms:oidc_start")).status_code == 404
    assert client.get(reverse("lms:oidc_callback") + "?state=x&code=y").status_code == 404
    page = client.get(reverse("lms:login"))
    assert "oidc" not in page.context
    assert b'name="password"' in page.content


@pytest.mark.parametrize(
    ("values", "ids"),
    [
        ({"OIDC_ISSUER": "https://login.example.jp/t/v2.0"}, ["lms.E111"]),
        ({"OIDC_CLIENT_ID": "abc", "OIDC_CLIENT_SECRET": "s"}, ["lms.E111"]),
        ({"OIDC_ONLY": True}, ["lms.E112"]),
        (
            {
                "OIDC_ISSUER": "http://idp.example.jp",
                "OIDC_CLIENT_ID": "a",
                "OIDC_CLIENT_SECRET": "s",
            },
            ["lms.E113"],
        ),
        ({"OIDC_CLOCK_SKEW": 3600}, ["lms.E114"]),
        (
            {
                "OIDC_ISSUER": "https://idp.example.jp",
                "OIDC_CLIENT_ID": "a",
                "OIDC_CLIENT_SECRET": "s",
            },
            [],
        ),
        (
            {"OIDC_ISSUER": "http://127.0.0.1:9", "OIDC_CLIENT_ID": "a", "OIDC_CLIENT_SECRET": "s"},
            [],
        ),
    ],
)
def test_half_a_configuration_is_a_system_check_error(settings, values, ids):
    settings.OIDC_ISSUER = settings.OIDC_CLIENT_ID = settings.OIDC_CLIENT_SECRET = ""
    for name, value in values.items():
        setattr(settings, name, value)
    errors = oidc.check_oidc_settings(None)
    assert all(isinstance(error, Error) for error in errors)
    assert [error.id for error in errors] == ids


def test_the_start_asks_for_pkce_state_and_nonce_with_the_site_url(client, settings, provider):
    settings.ALLOWED_HOSTS = ["*"]
    start = client.get(reverse("lms:oidc_start"), HTTP_HOST="evil.example.net")
    target = urlsplit(start["Location"])
    params = {key: values[0] for key, values in parse_qs(target.query).items()}
    assert f"{target.scheme}://{target.netloc}" == provider.issuer
    assert params["response_type"] == "code"
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    # From SITE_URL, never from the Host header the request named.
    assert params["redirect_uri"] == "http://testserver/accounts/oidc/callback/"
    pending = client.session["oidc_states"][params["state"]]
    assert pending["nonce"] == params["nonce"] and len(pending["code_verifier"]) == 64


def test_discovery_is_fetched_once_and_must_name_the_issuer(client, settings, provider):
    provider.sign_in_as(employee_number="A01234")
    go_to_provider(client)
    go_to_provider(client)
    assert len(provider.events("discovery")) == 1
    # The same provider under another name: its document names 127.0.0.1, not localhost.
    settings.OIDC_ISSUER = provider.issuer.replace("127.0.0.1", "localhost")
    page = client.get(reverse("lms:oidc_start"))
    assert page.status_code == 502
    assert "サインインできませんでした" in page.content.decode()


def test_an_unreachable_provider_gets_a_clear_page(client, settings, provider):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # the discard port: nothing listens
    page = client.get(reverse("lms:oidc_start"))
    assert page.status_code == 502
    text = page.content.decode()
    assert "組織アカウントのサービスが応答しませんでした" in text
    assert "人事課 研修担当（内線 1234）" in text
    assert refusals() == [{"reason": "provider_unreachable", "source": "oidc"}]


# --- signing in ----------------------------------------------------------------------------


def test_a_roster_person_signs_in(client, clerk, provider):
    provider.sign_in_as(employee_number="Ａ０１２３４")  # spelt as a directory might
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("lms:my_training")
    assert signed_in_as(client) == clerk
    session = client.session
    assert session["_auth_user_backend"] == "lms.accounts.oidc.RosterOIDCBackend"
    assert session[oidc.SESSION_ID_TOKEN].count(".") == 2
    assert not AuditEvent.objects.exists()


def test_next_is_kept_only_on_this_site(client, clerk, provider):
    provider.sign_in_as(employee_number="A01234")
    back = sign_in(client, start_query="?" + urlencode({"next": "/guide/"}))
    assert back["Location"] == "/guide/"
    client.logout()
    away = sign_in(client, start_query="?" + urlencode({"next": "https://evil.example.net/"}))
    assert away["Location"] == reverse("lms:my_training")


def test_a_number_given_as_a_json_number_is_matched(client, provider):
    person = UserFactory(employee_number="310001", from_roster=True)
    provider.sign_in_as(employee_number=310001)
    assert sign_in(client).status_code == 302
    assert signed_in_as(client) == person


@pytest.mark.parametrize(
    ("claims", "reason", "words"),
    [
        ({"employee_number": "999999"}, "unknown", "職員名簿に登録されていません"),
        ({"email": "hanako@city.example.jp"}, "missing_claim", "職員番号"),
    ],
)
def test_a_stranger_is_refused_recorded_and_not_created(
    client, clerk, provider, claims, reason, words
):
    users = User.objects.count()
    provider.sign_in_as(**claims)
    page = sign_in(client)
    assert page.status_code == 403
    assert words in page.content.decode()
    assert "人事課 研修担当（内線 1234）" in page.content.decode()
    assert refusals() == [{"reason": reason, "source": "oidc"}]
    assert User.objects.count() == users
    assert signed_in_as(client) is None


def test_a_deactivated_person_is_refused(client, clerk, provider):
    clerk.is_active = False
    clerk.save()
    provider.sign_in_as(employee_number="A01234")
    page = sign_in(client)
    assert page.status_code == 403
    event = AuditEvent.objects.get()
    assert event.details == {"reason": "inactive", "source": "oidc"}
    assert event.target_id == str(clerk.pk)
    assert signed_in_as(client) is None


def test_the_email_claim_counts_only_when_the_city_says_so(client, clerk, provider, settings):
    provider.sign_in_as(email="HANAKO@city.example.jp", email_verified=True)
    assert sign_in(client).status_code == 403
    settings.OIDC_MATCH_EMAIL = True
    provider.sign_in_as(email="hanako@city.example.jp", email_verified=False)
    assert sign_in(client).status_code == 403
    provider.sign_in_as(email="HANAKO@city.example.jp", email_verified=True)
    assert sign_in(client).status_code == 302
    assert signed_in_as(client) == clerk
    assert [event["reason"] for event in refusals()] == ["missing_claim", "email_unverified"]


def test_the_claim_named_by_the_setting_is_used(client, clerk, provider, settings):
    settings.OIDC_EMPLOYEE_NUMBER_CLAIM = "employeeId"
    provider.sign_in_as(employee_number="999999", employeeId="A01234")
    assert sign_in(client).status_code == 302
    assert signed_in_as(client) == clerk


def test_rehired_staff_sign_in_to_their_old_record(client, provider):
    from org.roster.processing import roster_import_apply
    from org.roster.services import roster_import_create, roster_import_validate

    def import_roster(lines):
        created = roster_import_create(
            uploaded_by=None, file_name="r.csv", content=csv_bytes(lines), full_roster=True,
            enqueue=False,
        )  # fmt: skip
        checked = roster_import_validate(roster_import_id=created.pk)
        return roster_import_apply(
            roster_import_id=checked.pk, confirm_deactivate=checked.deactivated_count
        )

    staff = [roster_line("0001"), roster_line("0002"), roster_line("0003", name="上田 次郎")]
    import_roster(staff)
    first = User.objects.get(employee_number="0003")
    provider.sign_in_as(employee_number="0003")
    assert sign_in(client).status_code == 302
    client.logout()
    import_roster(staff[:2])  # left
    assert sign_in(client).status_code == 403
    import_roster(staff)  # back
    assert sign_in(client).status_code == 302
    assert signed_in_as(client).pk == first.pk
    assert User.objects.filter(employee_number="0003").count() == 1


def test_a_person_deactivated_while_signed_in_loses_the_session(client, clerk, provider):
    provider.sign_in_as(employee_number="A01234")
    sign_in(client)
    assert signed_in_as(client) == clerk
    User.objects.filter(pk=clerk.pk).update(is_active=False)
    assert signed_in_as(client) is None


def test_refusals_are_not_counted_against_the_address(client, clerk, provider, settings):
    """A city hall is one NAT address: people the roster lacks must not lock everyone out."""
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 2
    provider.sign_in_as(employee_number="999999")
    for _ in range(4):
        assert sign_in(client).status_code == 403
    assert not AccessAttempt.objects.exists()
    password = client.post(reverse("lms:login"), {"username": "A01234", "password": PASSWORD})
    assert password.status_code == 302


# --- the provider fails, or someone tampers -----------------------------------------------


def test_a_tampered_state_is_refused_and_recorded(client, clerk, provider):
    provider.sign_in_as(employee_number="A01234")
    answer = go_to_provider(client)
    back = urlsplit(callback_path(answer))
    query = parse_qs(back.query)
    forged = f"{back.path}?{urlencode({'code': query['code'][0], 'state': 'x' * 32})}"
    page = client.get(forged)
    assert page.status_code == 400
    assert "このブラウザで始めたサインインではありません" in page.content.decode()
    assert refusals() == [{"reason": "state_mismatch", "source": "oidc"}]
    assert provider.events("token") == []  # the code never reached the provider
    # The pending sign-in was dropped: the real state is no good any more either.
    assert client.get(callback_path(answer)).status_code == 400
    assert signed_in_as(client) is None


def test_a_callback_nobody_started_is_refused_without_a_log_entry(client, provider):
    page = client.get(reverse("lms:oidc_callback") + "?code=abc&state=def")
    assert page.status_code == 400
    assert refusals() == []


def test_a_replayed_code_is_refused(client, clerk, provider):
    provider.sign_in_as(employee_number="A01234")
    answer = go_to_provider(client)
    used = callback_path(answer)
    assert client.get(used).status_code == 302
    client.logout()
    # The same link again: its state was used up.
    assert client.get(used).status_code == 400
    # The old code with a state of a new sign-in of this browser: the provider refuses it.
    fresh = urlsplit(callback_path(go_to_provider(client)))
    state = parse_qs(fresh.query)["state"][0]
    code = parse_qs(urlsplit(used).query)["code"][0]
    page = client.get(f"{fresh.path}?{urlencode({'code': code, 'state': state})}")
    assert page.status_code == 400
    assert [event["outcome"] for event in provider.events("token")] == ["ok", "invalid_grant"]
    assert refusals()[-1] == {"reason": "code_refused", "source": "oidc"}
    assert signed_in_as(client) is None


def test_the_provider_saying_no_is_shown_and_recorded(client, provider):
    provider.control("person", {})  # nobody: the provider answers access_denied
    page = sign_in(client)
    assert page.status_code == 400
    assert refusals() == [{"reason": "provider_denied", "source": "oidc"}]


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "another-application"},
        {"iss": "https://attacker.example.net"},
        {"exp": -600},  # expired ten minutes ago
        {"nonce": "not-this-sign-in"},
        {"omit": ["nonce"]},
        {"omit": ["exp"]},
        {"unknown_kid": True},  # signed with a key the provider does not publish
    ],
    ids=["audience", "issuer", "expired", "nonce", "no-nonce", "no-exp", "unknown-key"],
)
def test_an_id_token_that_does_not_hold_is_refused(client, clerk, provider, changes):
    provider.sign_in_as(employee_number="A01234")
    provider.next_token(**changes)
    page = sign_in(client)
    assert page.status_code == 502
    assert "受け取った応答を受け付けませんでした" in page.content.decode()
    assert refusals() == [{"reason": "token_invalid", "source": "oidc"}]
    assert signed_in_as(client) is None


def test_the_clock_skew_is_bounded(client, clerk, provider, settings):
    settings.OIDC_CLOCK_SKEW = 60
    provider.sign_in_as(employee_number="A01234")
    provider.next_token(exp=-30)
    assert sign_in(client).status_code == 302
    client.logout()
    provider.next_token(exp=-90)
    assert sign_in(client).status_code == 502


def test_a_rotated_key_is_fetched_once_and_accepted(client, clerk, provider):
    provider.sign_in_as(employee_number="A01234")
    assert sign_in(client).status_code == 302
    client.logout()
    provider.rotate()
    assert sign_in(client).status_code == 302
    client.logout()
    assert sign_in(client).status_code == 302
    assert len(provider.events("jwks")) == 2  # first use, then once for the new key


def test_tokens_signed_with_the_client_secret_or_unsigned_are_refused(settings, provider):
    now = int(time.time())
    claims = {"iss": provider.issuer, "aud": settings.OIDC_CLIENT_ID, "sub": "x", "iat": now,
              "exp": now + 300, "nonce": "n"}  # fmt: skip
    hmac_token = jwt.encode(claims, settings.OIDC_CLIENT_SECRET, algorithm="HS256")
    unsigned = jwt.encode(claims, None, algorithm="none")
    for token in (hmac_token, unsigned, "not a token"):
        with pytest.raises(oidc.ProviderError) as caught:
            oidc.verify_id_token(token, nonce="n", issuer=provider.issuer)
        assert caught.value.reason == oidc.Failure.TOKEN


# --- the sign-in page and sign-out -----------------------------------------------------------


def test_the_button_comes_first_then_the_password_form(client, provider):
    text = client.get(reverse("lms:login") + "?next=/guide/").content.decode()
    assert "組織アカウントでサインイン" in text
    assert text.index("組織アカウントでサインイン") < text.index('name="password"')
    assert reverse("lms:oidc_start") + "?next=%2Fguide%2F" in text


def test_the_button_label_comes_from_the_setting(client, provider, settings):
    settings.OIDC_BUTTON_LABEL = "Microsoft 365 でサインイン"
    assert "Microsoft 365 でサインイン" in client.get(reverse("lms:login")).content.decode()


def test_provider_only_hides_the_password_form_and_refuses_its_post(
    client, clerk, provider, settings
):
    settings.OIDC_ONLY = True
    page = client.get(reverse("lms:login")).content.decode()
    assert 'name="password"' not in page and "?local=1" in page
    refused = client.post(reverse("lms:login"), {"username": "A01234", "password": PASSWORD})
    assert refused.status_code == 403
    assert signed_in_as(client) is None
    local = reverse("lms:login") + "?local=1"
    assert 'name="password"' in client.get(local).content.decode()
    accepted = client.post(local, {"username": "A01234", "password": PASSWORD})
    assert accepted.status_code == 302
    assert signed_in_as(client) == clerk


def test_sign_out_ends_the_provider_session_too(client, clerk, provider):
    provider.sign_in_as(employee_number="A01234")
    sign_in(client)
    id_token = client.session[oidc.SESSION_ID_TOKEN]
    response = client.post(reverse("lms:logout"))
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{provider.issuer}/logout"
    params = {key: values[0] for key, values in parse_qs(target.query).items()}
    assert params["id_token_hint"] == id_token
    assert params["post_logout_redirect_uri"] == "http://testserver/accounts/login/"
    assert signed_in_as(client) is None


def test_a_password_sign_in_signs_out_here_only(client, clerk, provider):
    client.post(reverse("lms:login"), {"username": "A01234", "password": PASSWORD})
    response = client.post(reverse("lms:logout"))
    assert response["Location"] == reverse("lms:login")


def test_forms_may_lead_to_the_provider_for_its_sign_out(client, settings, provider):
    """Browsers apply form-action to the redirects a form leads to: without the provider's
    origin, the sign-out form could not go on to the provider's sign-out."""

    def form_action() -> str:
        policy = client.get(reverse("lms:login"))["Content-Security-Policy"]
        return next(part for part in policy.split("; ") if part.startswith("form-action"))

    assert form_action() == f"form-action 'self' {provider.issuer}"
    settings.OIDC_ISSUER = ""
    assert form_action() == "form-action 'self'"


def test_a_sign_in_left_pending_too_long_is_refused(client, clerk, provider):
    provider.sign_in_as(employee_number="A01234")
    answer = go_to_provider(client)
    session = client.session
    for pending in session["oidc_states"].values():
        pending["added_on"] -= oidc.PENDING_LIFETIME + 1
    session.save()
    assert client.get(callback_path(answer)).status_code == 400
    assert provider.events("token") == []
    assert signed_in_as(client) is None
