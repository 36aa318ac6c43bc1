"""Limits per client address: sign-in failures across accounts, and password-reset mails
(review 2026-12, F8: one wrong password for 20 accounts from one address went through, and
six reset requests sent six mails)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
ATTACKER = "203.0.113.7"
PAUSED = "このネットワークからのサインインを一時的に止めています"


@pytest.fixture
def limits(settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 20
    settings.AXES_FAILURE_LIMIT = 3  # per account: one try each stays far below it
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 4
    return settings


def _accounts(count):
    return [
        UserFactory(employee_number=f"{9000100 + n}", email=f"p{n}@city.example.jp")
        for n in range(count)
    ]


def test_one_wrong_password_for_many_accounts_from_one_address_is_paused(limits):
    accounts = _accounts(22)
    attacker = Client(REMOTE_ADDR=ATTACKER)
    login = reverse("lms:login")
    for person in accounts[:20]:
        response = attacker.post(login, {"username": person.employee_number, "password": "x"})
        assert response.status_code == 200  # the form again: each account saw one failure
    refused = attacker.post(login, {"username": accounts[20].employee_number, "password": "x"})
    assert refused.status_code == 429
    assert PAUSED in refused.text and "30 分ほど待ってから" in refused.text
    # Even the right password of another account, and on the other sign-in pages.
    right = attacker.post(login, {"username": accounts[21].employee_number, "password": PASSWORD})
    assert right.status_code == 429 and SESSION_KEY not in attacker.session
    for page in ("/django-admin/login/", "/cms/login/"):
        response = attacker.post(page, {"username": accounts[21].employee_number, "password": "x"})
        assert response.status_code == 429, page
    # Someone else, from another address, signs in as usual; the page itself still opens.
    other = Client(REMOTE_ADDR="198.51.100.20")
    response = other.post(login, {"username": accounts[21].employee_number, "password": PASSWORD})
    assert response.status_code == 302 and SESSION_KEY in other.session
    assert attacker.get(login).status_code == 200


def test_failures_on_the_admin_sign_in_page_count_too(limits):
    limits.SIGN_IN_ADDRESS_FAILURE_LIMIT = 3
    accounts = _accounts(4)
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for person in accounts[:3]:
        attacker.post("/django-admin/login/", {"username": person.employee_number, "password": "x"})
    response = attacker.post(
        reverse("lms:login"), {"username": accounts[3].employee_number, "password": PASSWORD}
    )
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts_and_cannot_be_forged(limits):
    limits.TRUSTED_PROXY_COUNT = 1
    limits.SIGN_IN_ADDRESS_FAILURE_LIMIT = 2
    accounts = _accounts(4)
    proxy = "10.0.0.5"  # every request reaches the application from the proxy
    attacker = Client(REMOTE_ADDR=proxy)
    login = reverse("lms:login")
    for n, person in enumerate(accounts[:3]):
        # The attacker changes the left part of the header; the proxy appends the real one.
        response = attacker.post(
            login,
            {"username": person.employee_number, "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}",
        )
    assert response.status_code == 429
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    response = colleague.post(
        login, {"username": accounts[3].employee_number, "password": PASSWORD}
    )
    assert response.status_code == 302  # same proxy, another person: not paused


def test_a_second_reset_mail_for_one_account_is_not_sent_and_the_page_is_the_same(limits):
    person = UserFactory(email="reset.me@city.example.jp")
    client = Client(REMOTE_ADDR=ATTACKER)
    url = reverse("lms:password_reset")
    emails = ["reset.me@city.example.jp", "RESET.ME@city.example.jp", "nobody@city.example.jp"]
    responses = [client.post(url, {"email": email}) for email in emails]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person.email]
    assert {(r.status_code, r["Location"]) for r in responses} == {
        (302, reverse("lms:password_reset_done"))
    }
    # Another account from the same address still gets its mail.
    UserFactory(email="colleague@city.example.jp")
    client.post(url, {"email": "colleague@city.example.jp"})
    assert [m.to for m in mail.outbox] == [[person.email], ["colleague@city.example.jp"]]


def test_reset_requests_per_address_are_limited_without_saying_so(limits):
    accounts = _accounts(6)
    client = Client(REMOTE_ADDR=ATTACKER)
    url = reverse("lms:password_reset")
    responses = [client.post(url, {"email": person.email}) for person in accounts]
    assert len(mail.outbox) == 4  # PASSWORD_RESET_ADDRESS_LIMIT
    assert {(r.status_code, r["Location"]) for r in responses} == {
        (302, reverse("lms:password_reset_done"))
    }
    # From another address, the fifth account gets its mail.
    Client(REMOTE_ADDR="198.51.100.20").post(url, {"email": accounts[4].email})
    assert mail.outbox[-1].to == [accounts[4].email]


def test_an_ipv6_client_is_counted_by_its_64_block(limits):
    limits.SIGN_IN_ADDRESS_FAILURE_LIMIT = 2
    accounts = _accounts(4)
    login = reverse("lms:login")
    for n, person in enumerate(accounts[:2]):
        Client(REMOTE_ADDR=f"2001:db8::{n + 1}").post(
            login, {"username": person.employee_number, "password": "x"}
        )
    same_block = Client(REMOTE_ADDR="2001:db8::ffff")
    response = same_block.post(login, {"username": accounts[2].employee_number, "password": "x"})
    assert response.status_code == 429
    next_block = Client(REMOTE_ADDR="2001:db8:0:1::1")
    response = next_block.post(
        login, {"username": accounts[3].employee_number, "password": PASSWORD}
    )
    assert response.status_code == 302
