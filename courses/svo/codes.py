"""The codes of the SVO checker's findings and their teaching messages.

Each finding has a stable code (stored with the statement, printed by ``manage.py svo_check``),
an English message (the gettext msgid) and a Japanese message kept here as a constant, because
the checker also runs where no locale is active. The hours findings show the learner's own
numbers back (the count, the minutes and the hours they make).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as _

#: One person's working year in hours: more than this from one statement is implausible.
HOURS_PER_PERSON_YEAR = 1900

SUBJECT_MISSING = "subject_missing"
SUBJECT_PERSON = "subject_person"
VERB_MISSING = "verb_missing"
VERB_VAGUE = "verb_vague"
MULTIPLE_ACTIONS = "multiple_actions"
OBJECT_MISSING = "object_missing"
OBJECT_VAGUE = "object_vague"
WHY_MISSING = "why_missing"
WHY_RULE_ONLY = "why_rule_only"
WHY_RESTATES_WHAT = "why_restates_what"
HOW_MISSING = "how_missing"
HOW_VAGUE = "how_vague"
HOURS_MISSING = "hours_missing"
HOURS_ZERO = "hours_zero"
HOURS_IMPLAUSIBLE = "hours_implausible"

#: All codes, in the order findings are reported (the order of the statement's fields).
CODES = (
    SUBJECT_MISSING,
    SUBJECT_PERSON,
    VERB_MISSING,
    VERB_VAGUE,
    MULTIPLE_ACTIONS,
    OBJECT_MISSING,
    OBJECT_VAGUE,
    WHY_MISSING,
    WHY_RULE_ONLY,
    WHY_RESTATES_WHAT,
    HOW_MISSING,
    HOW_VAGUE,
    HOURS_MISSING,
    HOURS_ZERO,
    HOURS_IMPLAUSIBLE,
)
#: The codes about the volume fields (their messages carry the typed numbers).
HOURS_CODES = (HOURS_MISSING, HOURS_ZERO, HOURS_IMPLAUSIBLE)

#: Which field a finding is about (for showing it beside that field).
CODE_FIELDS = {
    SUBJECT_MISSING: "subject",
    SUBJECT_PERSON: "subject",
    VERB_MISSING: "verb",
    VERB_VAGUE: "verb",
    MULTIPLE_ACTIONS: "verb",
    OBJECT_MISSING: "object",
    OBJECT_VAGUE: "object",
    WHY_MISSING: "purpose",
    WHY_RULE_ONLY: "purpose",
    WHY_RESTATES_WHAT: "purpose",
    HOW_MISSING: "idea",
    HOW_VAGUE: "idea",
    HOURS_MISSING: "count_per_year",
    HOURS_ZERO: "count_per_year",
    HOURS_IMPLAUSIBLE: "count_per_year",
}

MESSAGES = {
    SUBJECT_MISSING: _(
        "Who does this? Name the role that acts (for example: the counter clerk of the "
        "residents section), so others can see who is involved."
    ),
    SUBJECT_PERSON: _(
        "Write a role, not a person's name: the work stays the same when people change, "
        "and a role can be compared across sections (for example: the person in charge of "
        "water service applications instead of Yamada-san)."
    ),
    VERB_MISSING: _(
        "What is done? Write the action as a verb (checks, enters, sends), so the "
        "statement describes something one could watch being done."
    ),
    VERB_VAGUE: _(
        "This verb hides what is actually done (handle, process, carry out). Write the "
        "concrete action someone could observe: checks, enters, prints, stamps, sends."
    ),
    MULTIPLE_ACTIONS: _(
        "This statement holds more than one action. Split it into one statement per "
        "action: each can then have its own purpose and its own improvement idea."
    ),
    OBJECT_MISSING: _(
        "What does the action work on? Name the document, data or thing (for example: "
        "the ID field of the certificate application)."
    ),
    OBJECT_VAGUE: _(
        "The object is a catch-all (work, affairs, related items, various, etc.). Name "
        "the concrete document, data or thing, so others know exactly what is meant."
    ),
    WHY_MISSING: _(
        "Why is this done? Write the purpose: the outcome for residents or for the "
        "organisation. Without a WHY, no improvement can be judged."
    ),
    WHY_RULE_ONLY: _(
        "'Because it is the rule' is not yet a purpose. Ask why the rule exists: what "
        "would go wrong for residents or for the organisation without this work?"
    ),
    WHY_RESTATES_WHAT: _(
        "This purpose only repeats what is done. Write what it achieves: what would go "
        "wrong for residents or for the organisation if nobody did it?"
    ),
    HOW_MISSING: _(
        "How could this be done better? Write one concrete idea: a tool, a channel, a form, "
        "a system or a step to drop or change. 'None' or a dash is not yet an idea."
    ),
    HOW_VAGUE: _(
        "This idea names no means. 'Make it efficient' or 'review it' does not say how: "
        "name the tool, channel, form or system, or the step you would drop or change."
    ),
    HOURS_MISSING: _(
        "Enter the cases per year and the minutes per case (for example 3,000 and 5, or "
        "1時間半), so the hours this work takes can be seen. Cases per year: %(count)s; "
        "minutes per case: %(minutes)s."
    ),
    HOURS_ZERO: _(
        "Cases per year: %(count)s, minutes per case: %(minutes)s. A zero makes this work "
        "take no time at all; enter the real figures (an estimate is fine)."
    ),
    HOURS_IMPLAUSIBLE: _(
        "%(count)s cases a year at %(minutes)s minutes each make %(hours)s hours, more than "
        "one person's working year (about 1,900 hours). Is the count the whole section's, "
        "or were hours entered as minutes? Enter one person's figures."
    ),
}

MESSAGES_JA = {
    SUBJECT_MISSING: (
        "誰が行いますか。行う人の役割（例：市民課窓口担当職員）を書くと、"
        "誰が関わる仕事なのかが他の人にも見えるようになります。"
    ),
    SUBJECT_PERSON: (
        "個人名ではなく役割を書きましょう。担当者が替わっても仕事は同じで、"
        "役割で書くと他の課とも比べられます（例：山田さん → 水道開栓受付担当）。"
    ),
    VERB_MISSING: (
        "何をしますか。動作を動詞で書きましょう（確認する、入力する、送付する）。"
        "見ていて分かる行為として書くのがSVOの基本です。"
    ),
    VERB_VAGUE: (
        "「対応する」「処理する」「行う」では、実際に何をしているかが隠れてしまいます。"
        "見て分かる具体的な動作（照合する、入力する、印刷する、押印する、送付する）で書きましょう。"
    ),
    MULTIPLE_ACTIONS: (
        "一つの文に複数の動作が入っています（例：受け付けて入力する）。"
        "動作ごとに一文に分けると、それぞれの目的と改善案を考えられます。"
    ),
    OBJECT_MISSING: (
        "何に対して行いますか。対象となる書類・データ・物を書きましょう"
        "（例：証明書交付申請書の本人確認欄）。"
    ),
    OBJECT_VAGUE: (
        "「業務」「事務」「〜関係」「〜等」「各種」「案件」のような言葉では対象がぼやけます。"
        "具体的な書類名・データ名・物の名前を書きましょう。"
    ),
    WHY_MISSING: (
        "なぜこの仕事をしますか。住民や組織にとっての成果（目的）を書きましょう。"
        "WHYがないと、改善してよいかを判断できません。"
    ),
    WHY_RULE_ONLY: (
        "「決まりだから」「前からそうしているから」はまだ目的ではありません。"
        "そのルールは何のためにあるのか、この仕事がなかったら住民や組織に何が起きるかを考えましょう。"
    ),
    WHY_RESTATES_WHAT: (
        "目的が「何をするか」の言い換えになっています。その仕事によって何が実現するのか、"
        "やらなかったら住民や組織にどんな困りごとが起きるのかを書きましょう。"
    ),
    HOW_MISSING: (
        "どうすればもっと良くできるか、具体的な改善案を一つ書きましょう。"
        "道具・伝達手段・様式・システム、またはやめる手順・変える手順を挙げると伝わります。"
        "「なし」「－」だけでは改善案になりません。"
    ),
    HOW_VAGUE: (
        "「効率化する」「見直す」だけでは、どうやって良くするのかが分かりません。"
        "使う道具・システム・様式・伝達手段、またはやめる手順・変える手順を具体的に書きましょう"
        "（例：申請をオンラインフォームで受け付ける、押印を廃止する）。"
    ),
    HOURS_MISSING: (
        "年間件数と1件あたりの時間を入れると、この仕事にかかる年間の時間が見えます"
        "（例：3,000件と5分、または1時間半）。"
        "いまの入力：年間件数 {count}、1件あたりの分数 {minutes}。"
    ),
    HOURS_ZERO: (
        "年間件数 {count}、1件あたり {minutes} 分では、この仕事にかかる時間が0になります。"
        "おおよその数で構いませんので、実際の件数と時間を入れましょう。"
    ),
    HOURS_IMPLAUSIBLE: (
        "年間 {count} 件 × 1件 {minutes} 分 = 年 {hours} 時間となり、"
        "1人が1年に働く時間（約1,900時間）を超えています。"
        "件数が課全体の数になっていないか、分と時間を取り違えていないかを確かめ、"
        "1人分の数を入れましょう。"
    ),
}


def _figure(value: int | Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.1f}".removesuffix(".0") if isinstance(value, Decimal) else f"{value:,}"


@dataclass(frozen=True, slots=True)
class Finding:
    """One automatic hint about a statement; the hours hints carry the typed numbers."""

    code: str
    count: int | None = None
    minutes: Decimal | int | None = None

    @property
    def field(self) -> str:
        return CODE_FIELDS[self.code]

    @property
    def _numbers(self) -> dict[str, str]:
        hours = None
        if self.count is not None and self.minutes is not None:
            hours = (Decimal(self.count) * Decimal(self.minutes) / 60).quantize(Decimal("0.1"))
        minutes = None if self.minutes is None else Decimal(self.minutes)
        return {"count": _figure(self.count), "minutes": _figure(minutes), "hours": _figure(hours)}

    @property
    def message(self) -> str:
        text = str(MESSAGES[self.code])
        return text % self._numbers if self.code in HOURS_CODES else text

    @property
    def message_ja(self) -> str:
        text = MESSAGES_JA[self.code]
        return text.format(**self._numbers) if self.code in HOURS_CODES else text

    @property
    def text(self) -> str:
        """The message in the active language (the Japanese constant when it is Japanese, so
        the hints teach even before the catalogue has them)."""
        language = translation.get_language() or ""
        return self.message_ja if language.startswith("ja") else self.message


def findings_for(codes: list[str], *, count: int | None, minutes: Decimal | int | None):
    """Findings for stored codes, with the statement's numbers for the hours hints."""
    return [Finding(code, count, minutes) for code in codes]
