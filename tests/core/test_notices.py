"""Notice templates: the defaults written by the migration, the placeholder check HR meets
on the edit screen, the language, and that what HR writes is what people receive."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.notices.kinds import NoticeKind
from core.notices.models import NoticeSettings, NoticeTemplate
from core.notices.placeholders import KIND_PLACEHOLDERS, fill
from core.notices.rendering import notice_render
from org.models import RoleGroup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VALUES = {
    "氏名": "山田 太郎",
    "コース": "情報セキュリティ研修",
    "期限": "2027年3月31日",
    "状況": "期限を3日超過",
    "リンク": "http://testserver/courses/security/",
    "一覧": "\n■ 情報セキュリティ研修\n",
    "日数": "14",
    "ワークシート": "窓口のDX",
    "確認者": "山田 花子",
    "コメント": "",
    "修了日": "2026年6月1日",
    "証書番号": "DX2026-ABCDEFGHJK",
}


def test_the_migration_wrote_a_valid_template_in_both_languages_for_every_kind():
    templates = {t.kind: t for t in NoticeTemplate.objects.all()}
    assert set(templates) == set(NoticeKind.values)
    for template in templates.values():
        template.full_clean()  # the defaults pass the check HR's edits must pass
        assert template.subject_ja and template.body_ja and template.subject_en
        assert "督促" not in template.subject_ja + template.body_ja
    settings_row = NoticeSettings.objects.get()
    settings_row.full_clean()


@pytest.mark.parametrize("kind", NoticeKind.values)
def test_every_notice_greets_says_what_to_do_and_is_signed(kind, settings):
    notice = notice_render(kind, VALUES)
    assert notice.body.startswith("山田 太郎 様\n")
    assert "ご不明な点は、下記までお問い合わせください。" in notice.body
    assert f"お問い合わせ先：{settings.TRAINING_CONTACT}" in notice.body
    assert notice.body.rstrip().endswith("このメールは研修システムから自動で送信しています。")
    assert "{" not in notice.body and "{" not in notice.subject
    if "リンク" in KIND_PLACEHOLDERS[kind]:
        assert VALUES["リンク"] in notice.body or VALUES["一覧"] in notice.body


def test_english_templates_and_signature_when_asked_for_english(settings):
    notice = notice_render(NoticeKind.ASSIGNMENT, VALUES, language="en")
    assert notice.subject == "Training assigned to you: 情報セキュリティ研修"
    assert notice.body.startswith("Dear 山田 太郎,\n")
    assert "Deadline: 2027年3月31日" in notice.body
    assert f"Questions: {settings.TRAINING_CONTACT}" in notice.body
    assert "様" not in notice.body


def test_a_blank_english_text_falls_back_to_the_japanese_one():
    NoticeTemplate.objects.filter(kind=NoticeKind.ASSIGNMENT).update(subject_en="", body_en="")
    notice = notice_render(NoticeKind.ASSIGNMENT, VALUES, language="en")
    assert notice.subject == "【研修のご案内】情報セキュリティ研修"


def test_what_hr_writes_and_the_contact_hr_sets_are_what_people_get():
    NoticeTemplate.objects.filter(kind=NoticeKind.ASSIGNMENT).update(
        subject_ja="{コース}のご案内（人事課）",
        body_ja="{氏名} 様\n\n{コース}を{期限}までに受講してください。\n{リンク}",
    )
    NoticeSettings.objects.update(contact="人事課 人材育成係（内線 2345）")
    notice = notice_render(NoticeKind.ASSIGNMENT, VALUES)
    assert notice.subject == "情報セキュリティ研修のご案内（人事課）"
    assert "情報セキュリティ研修を2027年3月31日までに受講してください。" in notice.body
    assert "お問い合わせ先：人事課 人材育成係（内線 2345）" in notice.body


def _invalid(**fields) -> dict:
    template = NoticeTemplate.objects.get(kind=NoticeKind.ASSIGNMENT)
    for name, value in fields.items():
        setattr(template, name, value)
    with pytest.raises(ValidationError) as caught:
        template.full_clean()
    return caught.value.message_dict


def test_an_unknown_placeholder_is_refused_naming_it_and_what_can_be_used():
    errors = _invalid(subject_ja="{コース}のご案内 {部署}")
    message = errors["subject_ja"][0]
    assert "{部署}" in message
    assert "{氏名}、{コース}、{期限}、{リンク}" in message


def test_a_placeholder_of_another_kind_is_refused():
    errors = _invalid(body_en="Dear {氏名}, {証書番号} {期限} {リンク}")
    assert "{証書番号}" in errors["body_en"][0]


def test_a_lone_brace_a_format_spec_and_a_missing_link_are_refused():
    assert "{{" in _invalid(body_ja="{氏名} 様 {期限} {リンク")["body_ja"][0]
    assert "{氏名:>10}" in _invalid(body_ja="{氏名:>10} {期限} {リンク}")["body_ja"][0]
    errors = _invalid(body_ja="{氏名} 様 {期限}までにどうぞ")
    assert any("{リンク}" in message for message in errors["body_ja"])


def test_filling_never_evaluates_what_a_template_asks():
    assert fill("{氏名.__class__} {氏名}", {"氏名": "山田"}) == "{氏名.__class__} 山田"
    assert fill("{{氏名}} {氏名}", {"氏名": "山田"}) == "{氏名} 山田"


def test_an_invalid_template_saved_outside_the_cms_sends_the_default():
    NoticeTemplate.objects.filter(kind=NoticeKind.ASSIGNMENT).update(body_ja="{氏名} {不明}")
    notice = notice_render(NoticeKind.ASSIGNMENT, VALUES)
    assert "次の研修の受講対象になりましたので、お知らせします。" in notice.body


def test_hr_sees_the_placeholders_and_a_clear_refusal_on_the_edit_screen(client):
    hr = UserFactory(groups=[RoleGroup.HR])
    client.force_login(hr)
    template = NoticeTemplate.objects.get(kind=NoticeKind.REMINDER_MANUAL)
    url = reverse("wagtailsnippets_core_noticetemplate:edit", args=[template.pk])
    page = client.get(url)
    assert page.status_code == 200
    for name in KIND_PLACEHOLDERS[NoticeKind.REMINDER_MANUAL]:
        assert f"{{{name}}}" in page.text
    assert "{証書番号}" not in page.text
    data = {
        "subject_ja": "受講のお願い {係名}",
        "body_ja": template.body_ja,
        "subject_en": template.subject_en,
        "body_en": template.body_en,
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "{係名}" in refused.text
    assert NoticeTemplate.objects.get(pk=template.pk).subject_ja == template.subject_ja
    data["subject_ja"] = "【受講のお願い】{コース}"
    assert client.post(url, data).status_code == 302
    assert NoticeTemplate.objects.get(pk=template.pk).subject_ja == "【受講のお願い】{コース}"


def test_hr_edits_the_signature_in_the_settings(client):
    hr = UserFactory(groups=[RoleGroup.HR])
    client.force_login(hr)
    row = NoticeSettings.objects.get()
    url = reverse("wagtailsettings:edit", args=["core", "noticesettings", row.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "{連絡先}" in page.text
    refused = client.post(
        url, {"contact": "", "signature_ja": "--\n{氏名}", "signature_en": row.signature_en}
    )
    assert "{氏名}" in refused.text
    assert NoticeSettings.objects.get().signature_ja == row.signature_ja
