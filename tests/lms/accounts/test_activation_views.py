"""Activation codes, the screens: HR's preview, issue and PDF; the person's first sign-in
(code, password rules, single use); brute force locked out by axes."""

from __future__ import annotations

import io
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditAction, AuditEvent
from lms.accounts.activation import activation_sheet_issue
from lms.models import ActivationCode, ActivationIssue
from tests.helpers.fonts import pdf_text, print_without_system_fonts

from .activation_city import make_activation_city, roster_person

pytestmark = pytest.mark.django_db

HR_PAGE = reverse("lms:activation_codes")
ACTIVATE = reverse("lms:activate")
PASSWORD = reverse("lms:activate_password")
GOOD_PASSWORD = "sakura-namiki-2027"


@pytest.fixture
def city():
    return make_activation_city()


@pytest.fixture
def hr_client(client, city):
    client.force_login(city["hr"])
    return client


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def issue_codes(city, numbers) -> dict[str, str]:
    sheet = activation_sheet_issue(actor=city["hr"], employee_numbers=numbers)
    return {slip.person.employee_number: slip.code for slip in sheet.slips}


# --- HR ---------------------------------------------------------------------------------------


def test_hr_page_is_in_the_menu_with_an_empty_state(hr_client):
    response = hr_client.get(HR_PAGE)
    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="{HR_PAGE}" aria-current="page"' in body
    assert "有効化コードはまだ発行されていません。" in body
    assert 'type="radio" name="unit"' in body


def test_staff_get_no_menu_entry_and_no_page(client, city):
    client.force_login(city["madoguchi_1"])
    assert HR_PAGE not in client.get(reverse("lms:my_training")).content.decode()
    assert client.get(HR_PAGE).status_code == 403
    response = client.post(HR_PAGE, {"unit": city["tree"]["shimin_ka"].pk, "step": "issue"})
    assert response.status_code == 403
    assert not ActivationCode.objects.exists()


def test_preview_of_a_unit_lists_the_people_by_section(hr_client, city):
    response = hr_client.post(HR_PAGE, {"unit": city["tree"]["shimin_bu"].pk, "step": "preview"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "2人に票を発行します" in body
    assert "市民部 市民課" in body
    for person in (city["madoguchi_1"], city["shimin_ka"]):
        assert person.display_name in body and person.employee_number in body
    assert city["left"].display_name not in body and city["jinji_1"].display_name not in body
    assert 'name="expected" value="2"' in body
    assert not ActivationCode.objects.exists()  # a preview issues nothing


def test_preview_of_pasted_numbers_lists_the_unknown(hr_client, city):
    response = hr_client.post(
        HR_PAGE, {"employee_numbers": "１０００００１\n1000006 9999999", "step": "preview"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "1人に票を発行します" in body
    assert "2件の職員番号は名簿上の在職者ではないため" in body
    assert "1000006" in body and "9999999" in body


def test_a_unit_and_numbers_together_or_neither_are_refused(hr_client, city):
    both = hr_client.post(
        HR_PAGE, {"unit": city["tree"]["shimin_ka"].pk, "employee_numbers": "1000001"}
    )
    assert both.status_code == 400 and "どちらか一方" in both.content.decode()
    assert hr_client.post(HR_PAGE, {"step": "preview"}).status_code == 400


def test_over_the_cap_hr_is_told_and_nothing_is_issued(hr_client, city, settings):
    settings.ACTIVATION_SHEET_MAX_PEOPLE = 2
    preview = hr_client.post(HR_PAGE, {"unit": city["tree"]["soumu"].pk, "step": "preview"})
    assert "1回に発行できるのは2人までです" in preview.content.decode()
    assert "コードを発行してPDFをダウンロードする" not in preview.content.decode()
    issued = hr_client.post(HR_PAGE, {"unit": city["tree"]["soumu"].pk, "step": "issue"})
    assert issued.status_code == 400
    assert "3人が選ばれています" in issued.content.decode()
    assert not ActivationCode.objects.exists()


def test_issue_downloads_a_pdf_with_the_right_people_by_section(hr_client, city, settings):
    response = hr_client.post(
        HR_PAGE, {"unit": city["tree"]["soumu"].pk, "step": "issue", "expected": "3"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="activation-codes-')
    assert "no-store" in response["Cache-Control"]
    pages = pdf_pages(response.content)
    # One sheet per 課, the 課 as its heading, each person on their own 課's sheet only.
    assert len(pages) == 2
    assert pages[0].startswith("総務部 人事課") and pages[1].startswith("総務部 情報政策課")
    on_page = {
        person.employee_number: [i for i, text in enumerate(pages) if person.display_name in text]
        for person in (city["jinji_1"], city["kyuyo_1"], city["jouhou_1"])
    }
    assert on_page == {"1000001": [0], "1000002": [0], "1000003": [1]}
    everything = "".join(pages)
    for other in ("madoguchi_1", "shimin_ka", "left", "not_roster", "hr"):
        assert city[other].display_name not in everything
        assert city[other].employee_number not in everything
    # The sign-in address from SITE_URL, the expiry in Japanese, the instructions.
    assert squeeze(settings.SITE_URL + ACTIVATE) in squeeze(everything)
    assert re.search(r"有効期限：\d{4}年\d{1,2}月\d{1,2}日まで（1回限り）", everything)
    assert "職員番号とこのコードを入力" in everything
    # Each code printed is that person's working code.
    issue = ActivationIssue.objects.get()
    assert issue.people_count == 3 and issue.unit == city["tree"]["soumu"]
    printed = re.findall(r"有効化コード\s*((?:[A-Z2-9]\s*){8})", everything)
    assert len(printed) == 3
    assert AuditEvent.objects.filter(action=AuditAction.ACTIVATION_PRINTED).count() == 1
    # The slip's code opens the first sign-in of the person it names.
    assert len({squeeze(code) for code in printed}) == 3


def test_slips_print_japanese_on_a_machine_without_japanese_fonts(
    hr_client, city, monkeypatch, tmp_path
):
    """The font comes with the product: printed where fontconfig knows no font at all, the
    heading, the name and the instructions are Japanese text, not boxes."""
    import content.pdf

    print_without_system_fonts(monkeypatch, tmp_path)
    monkeypatch.setattr("lms.accounts.activation.html_to_pdf", content.pdf.html_to_pdf)
    response = hr_client.post(HR_PAGE, {"employee_numbers": "1000004", "step": "issue"})
    text = pdf_text(response.content)
    assert "市民部市民課" in text
    assert city["madoguchi_1"].display_name.replace(" ", "") + "様" in text
    assert "有効化コード" in text and "自分のパスワードを決める" in text


def test_a_printed_code_signs_its_person_in(hr_client, city):
    response = hr_client.post(
        HR_PAGE, {"employee_numbers": "1000004", "step": "issue", "expected": "1"}
    )
    text = "".join(pdf_pages(response.content))
    code = squeeze(re.search(r"有効化コード\s*((?:[A-Z2-9]\s*){8})", text).group(1))
    hr_client.logout()
    response = hr_client.post(ACTIVATE, {"username": "1000004", "code": code})
    assert response.status_code == 302 and response.url == PASSWORD


def test_issue_when_the_list_changed_is_refused(hr_client, city):
    roster_person("1000010", city["tree"]["madoguchi"])
    response = hr_client.post(
        HR_PAGE, {"unit": city["tree"]["shimin_ka"].pk, "step": "issue", "expected": "2"}
    )
    assert response.status_code == 400
    assert "確認した後で対象者が変わりました" in response.content.decode()
    assert not ActivationCode.objects.exists()


def test_recent_issues_are_paginated_in_constant_queries(hr_client, city):
    def page_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = hr_client.get(HR_PAGE)
        assert response.status_code == 200
        return len(queries)

    for _ in range(2):
        issue_codes(city, ["1000001", "1000002"])
    page_queries()  # the first page of the session also keeps the header in it
    few = page_queries()
    for _ in range(23):
        ActivationIssue.objects.create(issued_by=city["hr"], unit=city["tree"]["jinji"])
    many = page_queries()
    # Session, user, HR's groups, the units of the picker, the count and the page of issues;
    # none of them grows with the issues or their codes.
    assert many == few <= 9, (few, many)
    body = hr_client.get(HR_PAGE).content.decode()
    assert "2ページ中1ページ目" in body
    assert body.count('<td class="num">') == 20 * 3
    second = hr_client.get(HR_PAGE + "?page=2").content.decode()
    assert "職員番号の一覧" in second  # the two oldest issues, for pasted numbers


def test_recent_issues_count_used_codes(hr_client, city, client):
    codes = issue_codes(city, ["1000004", "1000005"])
    hr_client.logout()
    hr_client.post(ACTIVATE, {"username": "1000004", "code": codes["1000004"]})
    hr_client.post(PASSWORD, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    hr_client.logout()
    hr_client.force_login(city["hr"])
    issue = hr_client.get(HR_PAGE).context["page"].object_list[0]
    assert (issue.people_count, issue.used, issue.revoked) == (2, 1, 0)


# --- the person ---------------------------------------------------------------------------------


def test_sign_in_page_links_to_the_first_sign_in(client):
    body = client.get(reverse("lms:login")).content.decode()
    assert f'href="{ACTIVATE}"' in body and "初めての方（有効化コードをお持ちの方）" in body


def test_first_sign_in_sets_a_password_and_signs_in(client, city):
    codes = issue_codes(city, ["1000004"])
    assert client.get(ACTIVATE).status_code == 200
    response = client.post(
        ACTIVATE, {"username": "１０００００４", "code": codes["1000004"].lower()}
    )
    assert response.status_code == 302 and response.url == PASSWORD
    assert SESSION_KEY not in client.session  # not signed in before the password is set

    page = client.get(PASSWORD)
    assert page.status_code == 200 and city["madoguchi_1"].display_name in page.content.decode()
    response = client.post(
        PASSWORD, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("lms:my_training")
    assert int(client.session[SESSION_KEY]) == city["madoguchi_1"].pk
    person = city["madoguchi_1"]
    person.refresh_from_db()
    assert person.check_password(GOOD_PASSWORD)
    assert ActivationCode.objects.get(user=person).used_at is not None
    used = AuditEvent.objects.get(action=AuditAction.ACTIVATION_USED)
    assert used.actor == person

    # From now on the password signs in; the code never again.
    client.logout()
    again = client.post(ACTIVATE, {"username": "1000004", "code": codes["1000004"]})
    assert again.status_code == 400 and "使用済み" in again.content.decode()
    signed = client.post(reverse("lms:login"), {"username": "1000004", "password": GOOD_PASSWORD})
    assert signed.status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short7", "短すぎます"),
        ("12345678901", "数字しか使われていません"),
        ("password123", "一般的すぎます"),
        ("1000004abc", "似すぎています"),
    ],
)
def test_password_rules_are_enforced_with_their_messages(client, city, password, message):
    codes = issue_codes(city, ["1000004"])
    client.post(ACTIVATE, {"username": "1000004", "code": codes["1000004"]})
    response = client.post(PASSWORD, {"new_password1": password, "new_password2": password})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert SESSION_KEY not in client.session
    assert ActivationCode.objects.get().used_at is None  # the code is still good
    person = city["madoguchi_1"]
    person.refresh_from_db()
    assert not person.has_usable_password()


def test_one_message_for_every_failure(client, city):
    codes = issue_codes(city, ["1000004", "1000005"])
    cases = [
        ("1000004", "ABCDEFGH"),  # wrong code
        ("9999999", codes["1000004"]),  # unknown number
        ("1000005", codes["1000004"]),  # someone else's code
        ("1000006", codes["1000004"]),  # left
    ]
    bodies = set()
    for number, code in cases:
        response = client.post(ACTIVATE, {"username": number, "code": code})
        assert response.status_code == 400
        bodies.add(response.context["form"].non_field_errors()[0])
    assert len(bodies) == 1


def test_password_step_needs_a_good_code_first(client, city):
    response = client.get(PASSWORD)
    assert response.status_code == 302 and response.url == ACTIVATE
    response = client.post(
        PASSWORD, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    )
    assert response.status_code == 302 and response.url == ACTIVATE


def test_a_code_replaced_between_the_two_steps_is_refused(client, city):
    codes = issue_codes(city, ["1000004"])
    client.post(ACTIVATE, {"username": "1000004", "code": codes["1000004"]})
    issue_codes(city, ["1000004"])  # HR issues a new slip meanwhile
    response = client.post(
        PASSWORD, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}, follow=True
    )
    assert "この有効化コードはもう使えません" in response.content.decode()
    assert SESSION_KEY not in client.session
    city["madoguchi_1"].refresh_from_db()
    assert not city["madoguchi_1"].has_usable_password()


def test_the_pending_step_expires(client, city, monkeypatch):
    codes = issue_codes(city, ["1000004"])
    client.post(ACTIVATE, {"username": "1000004", "code": codes["1000004"]})
    import time as real_time

    later = real_time.time() + 16 * 60
    monkeypatch.setattr("lms.accounts.activation_views.time.time", lambda: later)
    response = client.get(PASSWORD)
    assert response.status_code == 302 and response.url == ACTIVATE


def test_brute_force_is_locked_out_by_axes_under_the_same_login(client, city, settings):
    codes = issue_codes(city, ["1000004"])
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(ACTIVATE, {"username": "1000004", "code": f"WRONG{attempt:03d}"})
    # Locked: even the right code, with the number spelt in full width, is refused.
    response = client.post(ACTIVATE, {"username": "１０００００４", "code": codes["1000004"]})
    assert response.status_code == 429
    assert "_activation_pending" not in client.session
    # The same counter as the password: the password page is locked for this number too.
    person = city["madoguchi_1"]
    person.set_password(GOOD_PASSWORD)
    person.save()
    locked = client.post(reverse("lms:login"), {"username": "1000004", "password": GOOD_PASSWORD})
    assert locked.status_code == 429
    # Axes kept the attempts without the codes typed.
    attempts = list(AccessAttempt.objects.all())
    assert attempts and all(a.username == "1000004" for a in attempts)
    for attempt in attempts:
        assert "WRONG" not in attempt.post_data and codes["1000004"] not in attempt.post_data
        assert "code=********************" in attempt.post_data


def test_failures_count_towards_the_address_limit(client, city, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 3
    for number in ("2000001", "2000002", "2000003"):
        client.post(ACTIVATE, {"username": number, "code": "ABCDEFGH"})
    response = client.post(ACTIVATE, {"username": "2000004", "code": "ABCDEFGH"})
    assert response.status_code == 429


def test_a_signed_in_person_is_sent_to_my_training(client, city):
    client.force_login(city["madoguchi_1"])
    response = client.get(ACTIVATE)
    assert response.status_code == 302 and response.url == reverse("lms:my_training")


def test_expired_code_is_refused_on_the_page(client, city):
    codes = issue_codes(city, ["1000004"])
    ActivationCode.objects.update(expires_at=timezone.now())
    response = client.post(ACTIVATE, {"username": "1000004", "code": codes["1000004"]})
    assert response.status_code == 400
    assert "期限が切れている" in response.content.decode()
