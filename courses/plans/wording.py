"""How the texts a DX plan is prefilled with read: sentences, not a string of nouns.

The KPI of a plan made from an SVO statement is the statement's working hours per year.
Joining the statement's parts ("施設予約受付担当 公民館会議室の予約申込 登録する") reads as a
list of nouns; the KPI names the work as a phrase instead:

- a verb made of a noun and する (登録する, 照合する, チェックする) becomes that noun:
  「公民館会議室の予約申込の登録」;
- any other verb keeps its form and names the work: 「住民票の写し交付申請書を受け付ける作業」.

Who does the work (the subject) is left out: the KPI measures the work, whoever does it.
Statements are written in Japanese whatever the interface language, so the phrase is built
the Japanese way and only the frame around it is translated.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from courses.models import DxPlan, SvoStatement

#: A verbal noun (kanji or katakana) followed by する: 登録する, 照合する, チェックする.
_NOUN_SURU = re.compile(r"^([\u3400-\u9fff\u30a0-\u30ffー々]+)する$")


def work_phrase(*, verb: str, obj: str) -> str:
    """The work a statement describes as a noun phrase: 「予約申込の登録」."""
    verb, obj = verb.strip(), obj.strip()
    noun = _NOUN_SURU.match(verb)
    if noun:
        return f"{obj}の{noun.group(1)}" if obj else noun.group(1)
    if not verb:
        return obj
    return f"{obj}を{verb}作業" if obj else f"{verb}作業"


def kpi_for_statement(statement: SvoStatement) -> str:
    """「公民館会議室の予約申込の登録にかかる年間作業時間」, at most the KPI field's length."""
    text = _("Working hours per year spent on %(work)s") % {
        "work": work_phrase(verb=statement.verb, obj=statement.object)
    }
    return text[: DxPlan._meta.get_field("kpi").max_length]
