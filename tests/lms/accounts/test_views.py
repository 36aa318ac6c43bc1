"""Sign-in, sign-out, lockout, password change and reset."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from lms.accounts.language import language_choose
from lms.models import User
from org.models import RoleGroup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("lms:login"), {"username": username, "password": password})


@pytest.fixture
def clerk():
    return UserFactory(employee_number="123456", email="Hanako.Sato@city.example.jp")


@pytest.mark.parametrize(
    "login",
    [
        "123456",
        "１２３４５６",
        " 123456 ",
        "hanako.sato@city.example.jp",
        "HANAKO.SATO@city.example.jp",
    ],
)
def test_sign_in_with_employee_number_or_email(client, clerk, login):
    response = sign_in(client, login)
    assert response.status_code == 302
    assert response.url == reverse("lms:my_training")
    assert int(client.session[SESSION_KEY]) == clerk.pk


def test_wrong_password_shows_a_clear_message(client, clerk):
    response = sign_in(client, "123456", "wrong")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert "パスワード" in response.content.decode()


def test_inactive_staff_cannot_sign_in(client, clerk):
    clerk.is_active = False
    clerk.save()
    response = sign_in(client, "123456")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_lockout_after_repeated_failures(client, clerk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "123456", "wrong")
    # Even the right password is refused while locked.
    response = sign_in(client, "123456")
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert "ロック" in response.content.decode() or "30" in response.content.decode()


def test_my_training_needs_sign_in(client):
    response = client.get(reverse("lms:my_training"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("lms:login"))


def test_my_training_shows_empty_state_and_header(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("lms:my_training"))
    body = response.content.decode()
    assert response.status_code == 200
    assert clerk.display_name in body
    assert "年度" in body


def test_sign_out_is_post_only(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("lms:logout")).status_code == 405
    response = client.post(reverse("lms:logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_password_change(client, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("lms:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-better-passphrase-42",
            "new_password2": "a-much-better-passphrase-42",
        },
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("a-much-better-passphrase-42")


def test_password_reset_reaches_imported_staff_without_a_password(client):
    newcomer = User.objects.create_user(
        "777777", None, display_name="新人 職員", email="newcomer@city.example.jp"
    )
    assert not newcomer.has_usable_password()
    response = client.post(reverse("lms:password_reset"), {"email": "NEWCOMER@city.example.jp"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    assert "777777" in mail.outbox[0].body

    page = client.get(link, follow=True)
    assert page.status_code == 200
    set_url = page.redirect_chain[-1][0]
    response = client.post(
        set_url,
        {"new_password1": "first-password-of-mine", "new_password2": "first-password-of-mine"},
    )
    assert response.status_code == 302
    assert sign_in(client, "777777", "first-password-of-mine").status_code == 302


def test_password_reset_does_not_reveal_unknown_addresses(client):
    response = client.post(reverse("lms:password_reset"), {"email": "nobody@city.example.jp"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_ignores_people_who_left(client, clerk):
    clerk.is_active = False
    clerk.save()
    client.post(reverse("lms:password_reset"), {"email": clerk.email})
    assert mail.outbox == []


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 60 * 60 * 12
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.mark.parametrize(
    ("groups", "superuser", "expected"),
    [
        ([], False, 302),
        ([RoleGroup.HR], False, 200),
        ([RoleGroup.EDITORS], False, 200),
        ([RoleGroup.MODERATORS], False, 200),
        ([], True, 200),
    ],
)
def test_wagtail_admin_only_for_editors_hr_and_admins(client, groups, superuser, expected):
    user = UserFactory(groups=groups, is_superuser=superuser)
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == expected


def test_language_switch_to_english(client, clerk):
    client.force_login(clerk)
    response = client.post(reverse("lms:language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("lms:my_training")).content.decode()
    assert "My training" in body
    assert 'lang="en"' in body


def test_the_language_chosen_follows_the_person_to_another_pc(client, clerk):
    client.force_login(clerk)
    client.post(reverse("lms:language"), {"language": "en", "next": "/"})
    clerk.refresh_from_db()
    assert clerk.language == "en"
    other_pc = Client()  # no language cookie
    other_pc.force_login(clerk)
    assert 'lang="en"' in other_pc.get(reverse("lms:my_training")).text
    other_pc.post(reverse("lms:language"), {"language": "ja", "next": "/"})
    clerk.refresh_from_db()
    assert clerk.language == "ja"
    assert 'lang="ja"' in client.get(reverse("lms:my_training")).text


def test_a_switch_before_signing_in_changes_nobody(client, clerk):
    response = client.post(reverse("lms:language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert 'lang="en"' in client.get(reverse("lms:login")).text
    clerk.refresh_from_db()
    assert clerk.language == ""


def test_a_language_nobody_offers_is_not_kept(clerk):
    assert not language_choose(user=clerk, language="fr")
    clerk.refresh_from_db()
    assert clerk.language == ""


def test_pages_are_japanese_by_default(client, clerk):
    client.force_login(clerk)
    body = client.get(reverse("lms:my_training")).content.decode()
    assert 'lang="ja"' in body
    assert "研修" in body


def test_lockout_counts_width_variants_of_one_login_together(client, clerk, settings):
    variants = ["123456", "１２３４５６", " 123456"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, variants[attempt % len(variants)], "wrong")
    assert sign_in(client, "123456").status_code == 429


def test_lockout_counts_email_and_employee_number_of_one_person_together(client, clerk, settings):
    logins = ["123456", "HANAKO.SATO@city.example.jp"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, logins[attempt % len(logins)], "wrong")
    assert sign_in(client, "hanako.sato@city.example.jp").status_code == 429
    assert sign_in(client, "123456").status_code == 429


def test_japanese_even_when_the_browser_asks_for_english(client):
    body = client.get(reverse("lms:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    assert "サインイン" in body.decode()


def test_an_unknown_language_cookie_falls_back_to_japanese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "サインイン" in client.get(reverse("lms:login")).content.decode()


def test_language_switch_names_english_in_english(client):
    body = client.get(reverse("lms:login")).content.decode()
    assert 'lang="en" class="link-button">English</button>' in body


def test_password_reset_mail_greets_links_under_site_url_and_is_signed(client, clerk, settings):
    """The link is built from SITE_URL, not from the Host the request named (a forged Host
    cannot send someone's reset link elsewhere), and the mail says who sent it."""
    settings.SITE_URL = "https://dx.city.example.jp"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    client.post(reverse("lms:password_reset"), {"email": clerk.email}, HTTP_HOST="evil.example")
    body = mail.outbox[0].body
    assert body.startswith(f"{clerk.display_name} 様\n")
    assert "パスワード設定の依頼を受け付けました" in body
    assert "このリンクは24時間以内に一度だけ使えます。" in body
    assert "evil.example" not in body
    link = re.search(r"https://dx\.city\.example\.jp(/\S+)", body).group(1)
    assert "お問い合わせ先：人事課 研修担当（内線 1234）" in body
    assert body.rstrip().endswith("このメールは研修システムから自動で送信しています。")
    assert client.get(link, follow=True).status_code == 200
