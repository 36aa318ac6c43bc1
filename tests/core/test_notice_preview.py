"""HR sees a notice before it goes out: the preview beside the edit form, in both languages,
and a test e-mail to their own address, both from the text as it stands in the form."""

import pytest
from django.core import mail
from django.urls import reverse

from core.notices.kinds import NoticeKind
from core.notices.models import NoticeTemplate
from core.notices.placeholders import KIND_PLACEHOLDERS
from core.notices.preview import sample_values
from org.models import RoleGroup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _form(template, **changes):
    data = {
        "subject_ja": template.subject_ja,
        "body_ja": template.body_ja,
        "subject_en": template.subject_en,
        "body_en": template.body_en,
    }
    return {**data, **changes}


@pytest.fixture
def hr(client):
    person = UserFactory(groups=[RoleGroup.HR], display_name="人事 花子",
                         email="jinji@city.example.jp")  # fmt: skip
    client.force_login(person)
    return person


@pytest.mark.parametrize("kind", list(NoticeKind))
@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_placeholder_has_an_example_in_both_languages(kind, language):
    values = sample_values(kind=kind, name="人事 花子", language=language)
    assert set(values) == set(KIND_PLACEHOLDERS[kind])
    assert all(values[name].strip() for name in values)


def test_the_preview_shows_the_unsaved_text_filled_with_examples(client, hr):
    template = NoticeTemplate.objects.get(kind=NoticeKind.ASSIGNMENT)
    url = reverse("wagtailsnippets_core_noticetemplate:preview_on_edit", args=[template.pk])
    edited = _form(template, body_ja="{氏名} 様\n新しい研修です。期限は{期限}です。\n{リンク}")
    assert client.post(url, edited).json()["is_valid"]
    page = client.get(url, {"mode": "ja"})
    assert page.status_code == 200
    assert "人事 花子 様\n新しい研修です。期限は" in page.text
    assert "{氏名}" not in page.text and "/courses/security/" in page.text
    assert "お問い合わせ先" in page.text  # the signature follows
    english = client.get(url, {"mode": "en"})
    assert 'lang="en"' in english.text and "Dear 人事 花子" in english.text
    assert NoticeTemplate.objects.get(pk=template.pk).body_ja == template.body_ja  # not saved


def test_the_preview_says_when_a_text_would_not_go_out_as_written(client, hr):
    template = NoticeTemplate.objects.get(kind=NoticeKind.CERTIFICATE)
    template.subject_en = ""
    template.save()
    url = reverse("wagtailsnippets_core_noticetemplate:preview_on_edit", args=[template.pk])
    client.post(url, _form(template))
    page = client.get(url, {"mode": "en"}).text
    assert "英語の件名または本文が空欄のため、日本語の文面が送られます。" in page
    assert "様" in page  # the Japanese text is what people get


def test_hr_sends_a_test_of_the_edited_text_to_themselves(client, hr):
    template = NoticeTemplate.objects.get(kind=NoticeKind.REMINDER_MANUAL)
    edit = reverse("wagtailsnippets_core_noticetemplate:edit", args=[template.pk])
    assert "日本語でテスト送信" in client.get(edit).text
    url = reverse("notice_test_send", args=[template.pk])
    answer = client.post(
        url,
        {**_form(template, subject_ja="受講のお願い：{コース}"), "test_language": "ja"},
        headers={"Accept": "application/json"},
    ).json()
    assert answer == {
        "ok": True,
        "message": "jinji@city.example.jp にテストを送信しました。保存はしていません。",
    }
    (message,) = mail.outbox
    assert message.to == ["jinji@city.example.jp"]
    assert message.subject == "【テスト】受講のお願い：情報セキュリティ研修"
    assert message.body.startswith("人事 花子 様")
    assert NoticeTemplate.objects.get(pk=template.pk).subject_ja == template.subject_ja


def test_a_faulty_text_is_not_sent_and_the_reason_is_given(client, hr):
    template = NoticeTemplate.objects.get(kind=NoticeKind.ASSIGNMENT)
    answer = client.post(
        reverse("notice_test_send", args=[template.pk]),
        {**_form(template, body_ja="{氏名} 様 {係名}"), "test_language": "ja"},
        headers={"Accept": "application/json"},
    ).json()
    assert answer["ok"] is False and "{係名}" in answer["message"]
    assert mail.outbox == []


def test_without_script_the_result_comes_back_as_a_message(client, hr):
    template = NoticeTemplate.objects.get(kind=NoticeKind.ASSIGNMENT)
    response = client.post(
        reverse("notice_test_send", args=[template.pk]),
        {**_form(template), "test_language": "en"},
        follow=True,
    )
    assert "にテストを送信しました" in response.text
    assert mail.outbox[0].subject.startswith("[Test] ")


def test_only_those_who_edit_the_templates_may_send_a_test(client):
    template = NoticeTemplate.objects.get(kind=NoticeKind.ASSIGNMENT)
    url = reverse("notice_test_send", args=[template.pk])
    client.force_login(UserFactory())
    assert client.post(url, _form(template)).status_code in (302, 403)
    client.force_login(UserFactory(groups=[RoleGroup.EDITORS]))  # in the CMS, not HR
    refused = client.post(url, _form(template))  # Wagtail turns the refusal into its message
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    assert mail.outbox == []
