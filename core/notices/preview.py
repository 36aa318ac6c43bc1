"""What HR sees before a notice goes out: the template being edited, filled with examples.

The CMS shows the preview beside the edit form (Wagtail's preview panel, in Japanese and in
English) and sends a test to the editor's own address (``notice_test_send``); both use the
text as it stands in the form, saved or not, with example values that look like a real
notice of its kind, the editor's own name in place of the recipient's.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext, override, pgettext

from ..dates import date_label
from ..fiscal import fiscal_year_label, fiscal_year_of
from .kinds import NoticeKind
from .placeholders import KIND_PLACEHOLDERS
from .rendering import Composer, Notice, notice_signature, template_texts, texts_errors


def sample_values(*, kind: str, name: str, language: str) -> dict[str, str]:
    """Example values for every placeholder ``kind`` offers, in ``language``."""
    today = timezone.localdate()
    site = settings.SITE_URL.rstrip("/")
    with override(language):
        due = date_label(today + dt.timedelta(days=30))
        overdue = date_label(today - dt.timedelta(days=10))
        values = {
            "氏名": name,
            "コース": gettext("Information security training"),
            "期限": overdue if kind == NoticeKind.REMINDER_MANUAL else due,
            "状況": gettext("10 days overdue"),
            "リンク": f"{site}/courses/security/",
            "一覧": "\n■ {course}\n  {deadline}\n  {site}/courses/security/\n".format(
                course=gettext("Information security training"),
                deadline=pgettext("e-mail", "Deadline: %(date)s (%(state)s)")
                % {"date": overdue, "state": gettext("10 days overdue")},
                site=site,
            ),
            "日数": "14",
            "ワークシート": gettext("SVO worksheet of the counter service"),
            "確認者": gettext("Hanako Sato"),
            "コメント": "\n"
            + gettext("Comment from your reviewer:")
            + "\n"
            + gettext("Please write how many cases a year the task has.")
            + "\n",
            "修了日": date_label(today),
            "証書番号": f"DX{fiscal_year_of(today)}-ABCDEFGHJK",
            "送信者": gettext("Citizens Division, Taro Yamada"),
            "所属": gettext("Citizens Division"),
            "年度": fiscal_year_label(fiscal_year_of(today)),
            "対象者": gettext("Overdue"),
            "受け取り方": gettext("The list of names is attached: %(filename)s")
            % {"filename": "people.xlsx"},
        }
    return {key: values[key] for key in KIND_PLACEHOLDERS.get(kind, ())}


def preview_errors(template, language: str) -> list[str]:
    """What would stop the text in ``language`` from going out as written."""
    return texts_errors(template.kind, *template_texts(template, language))


def preview_notice(template, *, language: str, name: str) -> Notice:
    """``template`` in ``language`` filled with example values and the signature."""
    subject, body = template_texts(template, language)
    with override(language):
        signature, contact = notice_signature(language=language)
    composer = Composer(template.kind, subject, body, signature, contact)
    return composer.render(sample_values(kind=template.kind, name=name, language=language))


def notice_test_send(*, by, template, language: str) -> Notice:
    """E-mail ``template`` (as edited, in ``language``) to ``by``'s own address, filled with
    examples. Only someone who may edit the templates; ``ValueError`` when the text has a
    fault or the person has no address."""
    if not (by.is_active and by.has_perm("core.change_noticetemplate")):
        raise PermissionDenied
    if not by.email:
        raise ValueError(gettext("Your account has no e-mail address to send the test to."))
    errors = preview_errors(template, language)
    if errors:
        raise ValueError(" ".join(errors))
    notice = preview_notice(template, language=language, name=by.display_name or by.username)
    with override(language):
        subject = gettext("[Test] %(subject)s") % {"subject": notice.subject}
    send_mail(subject, notice.body, None, [by.email])
    return notice
