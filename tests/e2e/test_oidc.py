"""Sign-in with an OpenID provider in a real browser, against the tests' provider process.

The site (``live_server``) and the provider (``tests/oidc_provider``, its own process on
loopback) talk over real HTTP; chromium follows the redirects between them. Each page a
person sees is checked with axe (``conftest.Person.axe``). The attacks replay or forge the
address the provider sends the browser back to, or make the provider answer with a token that
must not be accepted; the provider's key rotation must just work.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from audit.models import AuditAction, AuditEvent
from lms.models import User
from tests.factories import UserFactory

from .conftest import DESKTOP, WAIT_MS

pytestmark = [
    pytest.mark.integration,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUTTON = "組織アカウントでサインイン"
CALLBACK = "/accounts/oidc/callback/"


@pytest.fixture
def site(provider, live_server, settings):
    """The live site signs in with the test provider; links are built for the live server."""
    settings.SITE_URL = live_server.url
    return provider


def refusal_reasons() -> list[str]:
    events = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_REFUSED).order_by("pk")
    return [event.details["reason"] for event in events]


def press_the_button(person) -> None:
    """On the sign-in page, press the provider's button; wait until back on the site (signed
    in, or on the page that says why not)."""
    person.goto("/accounts/login/")
    person.page.get_by_role("link", name=BUTTON).click()
    person.page.wait_for_url(
        lambda url: url.startswith(person.base_url) and "/accounts/login/" not in url
    )


def show(person, path: str, status: int) -> None:
    """Open ``path`` (an error page: ``Person.goto`` wants success) and check it."""
    response = person.page.goto(person.url(path))
    assert response is not None and response.status == status, (path, response and response.status)
    person.axe()


def callback_from_provider(person) -> str:
    """Start a sign-in in this browser's session and fetch, without following it, the address
    the provider sends the browser back to (the code and state), for a test to replay or
    forge. The context's request API shares the browser's cookies."""
    request = person.page.context.request
    start = request.get(person.url("/accounts/oidc/start/"), max_redirects=0)
    assert start.status == 302, start.status
    answer = request.get(start.headers["location"], max_redirects=0)
    assert answer.status == 302, answer.status
    back = urlsplit(answer.headers["location"])
    assert back.path == CALLBACK
    return f"{back.path}?{back.query}"


def with_query(path: str, **changes) -> str:
    parts = urlsplit(path)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return f"{parts.path}?{urlencode({**query, **changes})}"


def test_a_roster_person_signs_in_and_out_at_the_provider(people, site, browser, live_server):
    clerk = UserFactory(employee_number="310001", display_name="窓口 花子", from_roster=True)
    site.sign_in_as(employee_number="310001", email="hanako@city.example.jp")
    hanako = people("hanako", DESKTOP)
    press_the_button(hanako)
    expect(hanako.page.locator(".member__name")).to_have_text("窓口 花子")
    assert hanako.page.url.rstrip("/") == live_server.url
    hanako.axe()

    # Sign-out: here, then at the provider, then back to our sign-in page.
    hanako.page.locator("form[action='/accounts/logout/'] button").click()
    hanako.page.wait_for_url(re.compile(r"/accounts/login/$"))
    hanako.axe()
    expect(hanako.page.locator(".member__name")).to_have_count(0)
    ended = site.events("end_session")
    assert len(ended) == 1
    assert ended[0]["post_logout_redirect_uri"] == f"{live_server.url}/accounts/login/"
    assert ended[0]["id_token_hint"].count(".") == 2

    # The same under the site's own Content-Security-Policy (the people above bypass it to
    # run axe): form-action must let the sign-out form's redirect reach the provider.
    context = browser.new_context(locale="ja-JP")
    context.set_default_timeout(WAIT_MS)
    try:
        page = context.new_page()
        refused = []
        page.on("console", lambda message: refused.append(message.text))
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_role("link", name=BUTTON).click()
        expect(page.locator(".member__name")).to_have_text("窓口 花子")
        page.locator("form[action='/accounts/logout/'] button").click()
        page.wait_for_url(re.compile(r"/accounts/login/$"))
        assert len(site.events("end_session")) == 2, refused
    finally:
        context.close()
    assert User.objects.get(pk=clerk.pk).last_login is not None
    assert refusal_reasons() == []


def test_strangers_and_people_who_left_are_refused(people, site):
    users_before = User.objects.count()
    left = UserFactory(employee_number="310002", from_roster=True, is_active=False)
    visitor = people("visitor", DESKTOP)

    site.sign_in_as(employee_number="999999")
    press_the_button(visitor)
    expect(visitor.page.locator("main h1")).to_have_text("まだサインインできません")
    expect(visitor.page.locator("main")).to_contain_text("職員名簿に登録されていません")
    expect(visitor.page.locator("main")).to_contain_text("人事課 研修担当")
    visitor.axe()

    site.sign_in_as(employee_number="310002")
    press_the_button(visitor)
    expect(visitor.page.locator("main")).to_contain_text("このアカウントは現在無効です")
    visitor.axe()

    assert refusal_reasons() == ["unknown", "inactive"]
    assert AuditEvent.objects.filter(target_id=str(left.pk)).count() == 1
    assert User.objects.count() == users_before + 1  # only the one this test made
    expect(visitor.page.locator(".member__name")).to_have_count(0)


def test_a_tampered_state_and_a_replayed_code_are_refused(people, site):
    UserFactory(employee_number="310003", from_roster=True)
    site.sign_in_as(employee_number="310003")
    mallory = people("mallory", DESKTOP)
    mallory.goto("/accounts/login/")

    # A forged state: refused before the code reaches the provider, and the real one is
    # dropped with it.
    genuine = callback_from_provider(mallory)
    show(mallory, with_query(genuine, state="forged-" + "x" * 32), 400)
    expect(mallory.page.locator("main")).to_contain_text(
        "このブラウザで始めたサインインではありません"
    )
    show(mallory, genuine, 400)
    assert site.events("token") == []

    # A code used once, then again: the same link (its state is used up), then the old code
    # under a new sign-in's state (the provider refuses it).
    used = callback_from_provider(mallory)
    mallory.page.goto(mallory.url(used))
    expect(mallory.page.locator(".member__name")).to_be_visible()
    mallory.axe()
    mallory.page.locator("form[action='/accounts/logout/'] button").click()
    mallory.page.wait_for_url(re.compile(r"/accounts/login/$"))
    mallory.axe()
    show(mallory, used, 400)
    fresh = callback_from_provider(mallory)
    old_code = parse_qs(urlsplit(used).query)["code"][0]
    show(mallory, with_query(fresh, code=old_code), 400)
    expect(mallory.page.locator("main")).to_contain_text("サインインを完了できませんでした")
    assert [event["outcome"] for event in site.events("token")] == ["ok", "invalid_grant"]
    assert refusal_reasons() == ["state_mismatch", "code_refused"]
    expect(mallory.page.locator(".member__name")).to_have_count(0)


def test_bad_tokens_are_refused_and_a_rotated_key_is_accepted(people, site):
    UserFactory(employee_number="310004", display_name="技術 三郎", from_roster=True)
    site.sign_in_as(employee_number="310004")
    saburo = people("saburo", DESKTOP)

    for changes in ({"aud": "another-application"}, {"exp": -600}):
        site.next_token(**changes)
        press_the_button(saburo)
        expect(saburo.page.locator("main h1")).to_have_text("サインインできませんでした")
        expect(saburo.page.locator("main")).to_contain_text("受け取った応答を受け付けませんでした")
        saburo.axe()
    assert refusal_reasons() == ["token_invalid", "token_invalid"]

    # The provider rotates its signing key: the site fetches the keys again, once.
    jwks_before = len(site.events("jwks"))
    site.rotate()
    press_the_button(saburo)
    expect(saburo.page.locator(".member__name")).to_have_text("技術 三郎")
    saburo.axe()
    assert len(site.events("jwks")) == jwks_before + 1
