"""The placeholders of the notice templates: which exist, which each kind of notice offers,
which it must use, and the one way they are filled in.

A placeholder is a word in braces, ``{氏名}``; the same Japanese words serve the English
templates, so HR learns one list. A template is checked on save (``template_errors``): an
unknown word, a placeholder another kind of notice offers, a format spec (``{氏名:>10}``),
attribute access (``{氏名.x}``) or a lone brace is refused with a message saying which and
why, and a body that leaves out its link is refused too, because a notice nobody can act on
is no notice. ``fill`` substitutes by parsing, never with ``str.format``, so a template that
somehow escaped the check (an edit in the shell) still renders and reveals nothing.
"""

from __future__ import annotations

from string import Formatter

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .kinds import NoticeKind

#: Every placeholder and what it becomes; the edit screen lists these.
PLACEHOLDERS: dict[str, str] = {
    "氏名": _("the recipient's name, e.g. 山田 太郎"),
    "コース": _("the course title"),
    "期限": _("the deadline, e.g. 2027年3月31日"),
    "状況": _("how far the deadline is, e.g. 期限を10日超過"),
    "リンク": _("the link to open (an absolute address under SITE_URL)"),
    "一覧": _("the list of courses, each with its deadline and link"),
    "日数": _("the days past the deadline after which managers are told"),
    "ワークシート": _("the title of the SVO exercise"),
    "確認者": _("the name of the reviewer"),
    "コメント": _("the reviewer's comment under a heading (nothing when there is none)"),
    "修了日": _("the date the course was completed"),
    "証書番号": _("the serial number of the certificate"),
    "送信者": _("who sent the request: their unit and name, e.g. 市民課 山田 太郎"),
    "所属": _("the unit of the report, e.g. 市民課"),
    "年度": _("the fiscal year, e.g. 令和8年度（2026年度）"),
    "対象者": _("who the list holds, e.g. 期限超過"),
    "受け取り方": _(
        "how the list comes: attached (with its file name), or to download after signing in"
    ),
    "連絡先": _("the contact of the training office (signature only)"),
    "サイト名": _("the name of the site (signature only)"),
    "サイトURL": _("the address of the site, SITE_URL (signature only)"),
}

#: What each kind offers: its subject and body may use these and no other.
KIND_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    NoticeKind.ASSIGNMENT: ("氏名", "コース", "期限", "リンク"),
    NoticeKind.REMINDER: ("氏名", "一覧", "リンク"),
    NoticeKind.REMINDER_MANUAL: ("氏名", "コース", "期限", "状況", "リンク", "送信者"),
    NoticeKind.ESCALATION: ("氏名", "一覧", "日数", "リンク"),
    NoticeKind.REVIEW_APPROVED: ("氏名", "ワークシート", "確認者", "コメント", "リンク"),
    NoticeKind.REVIEW_RETURNED: ("氏名", "ワークシート", "確認者", "コメント", "リンク"),
    NoticeKind.CERTIFICATE: ("氏名", "コース", "修了日", "証書番号", "リンク"),
    NoticeKind.SCHEDULED_REPORT: (
        "氏名",
        "コース",
        "年度",
        "所属",
        "対象者",
        "受け取り方",
        "リンク",
    ),
}

#: What a body must contain: the way to act on the notice.
KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    NoticeKind.ASSIGNMENT: ("リンク", "期限"),
    NoticeKind.REMINDER: ("一覧",),
    NoticeKind.REMINDER_MANUAL: ("リンク", "期限"),
    NoticeKind.ESCALATION: ("一覧",),
    NoticeKind.REVIEW_APPROVED: ("リンク",),
    NoticeKind.REVIEW_RETURNED: ("リンク",),
    NoticeKind.CERTIFICATE: ("リンク",),
    NoticeKind.SCHEDULED_REPORT: ("受け取り方", "リンク"),
}

SIGNATURE_PLACEHOLDERS: tuple[str, ...] = ("連絡先", "サイト名", "サイトURL")


def _fields(text: str) -> list[tuple[str, str | None, str | None]]:
    """(field, format spec, conversion) of each placeholder; ``ValueError`` on a lone brace."""
    return [
        (field, spec, conversion)
        for _literal, field, spec, conversion in Formatter().parse(text)
        if field is not None
    ]


def template_errors(
    text: str, *, allowed: tuple[str, ...], required: tuple[str, ...] = ()
) -> list[str]:
    """What is wrong with one subject, body or signature, in words HR can act on."""
    try:
        fields = _fields(text)
    except ValueError:
        return [
            gettext(
                "A brace is not closed or opened. Write placeholders as {氏名}; "
                "to show a brace itself, write it twice: {{ or }}."
            )
        ]
    errors = []
    offered = "、".join(f"{{{name}}}" for name in allowed)
    for field, spec, conversion in fields:
        if spec or conversion:
            errors.append(
                gettext("{%(field)s%(rest)s}: write the placeholder alone, without : or !.")
                % {
                    "field": field,
                    "rest": (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else ""),
                }
            )
        elif field not in allowed:
            errors.append(
                gettext(
                    "{%(field)s} is not a placeholder of this notice. You can use: %(offered)s."
                )
                % {"field": field, "offered": offered}
            )
    used = {field for field, _spec, _conv in fields}
    for name in required:
        if name not in used:
            errors.append(
                gettext(
                    "The text must contain {%(name)s}: without it, people cannot act on the notice."
                )
                % {"name": name}
            )
    return errors


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each known placeholder replaced; anything else is kept as written."""
    try:
        parts = list(Formatter().parse(text))
    except ValueError:
        return text
    out = []
    for literal, field, spec, conversion in parts:
        out.append(literal)
        if field is None:
            continue
        if field in values and not spec and not conversion:
            out.append(str(values[field]))
        else:
            out.append(
                "{"
                + field
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
    return "".join(out)
