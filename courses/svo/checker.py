"""Automatic checks of one SVO statement (WHAT: subject, verb, object; WHY: purpose).

The checks teach; they never block. Each finding has a stable code (stored with the
statement, printed by ``manage.py svo_check``), an English message (the gettext msgid) and a
Japanese message kept here as a constant, because the checker also runs where no locale is
active (the TSV command prints codes only; the Japanese text is for screens and exports).

Japanese has no spaces, so the fields are split into words with SudachiPy (core
dictionary, the finest split mode ``A`` so that 申請関係書類 becomes 申請 / 関係 / 書類). The
rules work on parts of speech and dictionary forms:

- a *person* is a word tagged 名詞-固有名詞-人名 (山田, 佐々木), a name suffix (さん, 様, 氏) or
  a first-person pronoun; a role (窓口担当職員, 係長) is not;
- an *action* is a 動詞-一般 (受け付ける, 書き込む) or a サ変 noun (入力, 照合); actions in one
  verb field are split into clauses at て/で, 、・ and 及び, and after a verb in 連用形 that
  is followed by another word (作成し提出する), so 入力を行う is one action and
  受け付けて入力する two;
- a verb is *vague* when every action in it is one of the catch-all verbs (対応する, 処理する,
  行う ...); 入力を行う names 入力 and is concrete;
- an object is *vague* when it contains a catch-all word (各種, 関係, 等, 案件 ...) or its
  head noun is one (窓口業務, 証明書関係事務), or it is a single generic noun (書類, 資料);
- a WHY is *rule only* when it gives a rule, custom or instruction as the reason and names
  no outcome (a beneficiary, a risk avoided, a result such as 早く, 正確に, 〜できるように).

Measured precision and recall on the labelled set: docs/svo_checker.md.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import cache

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from sudachipy import Dictionary, SplitMode

SUBJECT_MISSING = "subject_missing"
SUBJECT_PERSON = "subject_person"
VERB_MISSING = "verb_missing"
VERB_VAGUE = "verb_vague"
MULTIPLE_ACTIONS = "multiple_actions"
OBJECT_MISSING = "object_missing"
OBJECT_VAGUE = "object_vague"
WHY_MISSING = "why_missing"
WHY_RULE_ONLY = "why_rule_only"

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
)

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
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One automatic hint about a statement."""

    code: str

    @property
    def field(self) -> str:
        return CODE_FIELDS[self.code]

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])

    @property
    def message_ja(self) -> str:
        return MESSAGES_JA[self.code]

    @property
    def text(self) -> str:
        """The message in the active language (the Japanese constant when it is Japanese, so
        the hints teach even before the catalogue has them)."""
        language = translation.get_language() or ""
        return self.message_ja if language.startswith("ja") else self.message


@dataclass(frozen=True, slots=True)
class _Word:
    surface: str
    lemma: str
    pos: tuple[str, ...]
    form: str  # conjugation form, e.g. 連用形-一般

    @property
    def is_verb(self) -> bool:
        return self.pos[0] == "動詞"

    @property
    def is_sahen_noun(self) -> bool:
        return self.pos[0] == "名詞" and self.pos[2] == "サ変可能"

    @property
    def is_content(self) -> bool:
        return self.pos[0] in {"名詞", "動詞", "形容詞", "形状詞", "副詞", "接頭辞", "代名詞"}


# --- word lists -----------------------------------------------------------------------------

_NAME_SUFFIXES = frozenset({"さん", "様", "さま", "氏", "君", "くん", "ちゃん", "殿"})
_FIRST_PERSON = frozenset({"私", "わたし", "僕", "自分", "俺", "わたくし"})

#: Catch-all verbs: an action made only of these does not say what is done.
_VAGUE_VERBS = frozenset(
    {
        "対応",
        "処理",
        "行う",
        "おこなう",
        "実施",
        "実行",
        "取り扱う",
        "取扱う",
        "取扱",
        "取り扱い",
        "やる",
        "する",
        "従事",
        "担当",
        "関わる",
        "携わる",
        "進める",
        "こなす",
        "作業",
        "事務",
        "業務",
        "対処",
    }
)
#: Light verbs: they carry no action of their own when another action is in the clause.
_LIGHT_VERBS = frozenset({"行う", "おこなう", "実施", "実行", "する", "できる", "いたす"})
#: Auxiliary verbs after a て-form (…している, …しておく) are no action of their own.
_AUXILIARY_VERBS = frozenset(
    {"いる", "おく", "しまう", "くる", "いく", "ある", "みる", "もらう", "いただく", "くれる"}
)
#: Words that split one verb field into separate actions.
_CONJUNCTIONS = frozenset({"及び", "および", "並びに", "ならびに", "又は", "または", "かつ"})
_SPLIT_PARTICLES = frozenset({"て", "で", "ながら", "つつ", "たり", "だり", "し"})

#: Anywhere in an object these make it a catch-all.
_VAGUE_OBJECT_WORDS = frozenset(
    {
        "各種",
        "諸々",
        "色々",
        "いろいろ",
        "その他",
        "関係",
        "関連",
        "等",
        "など",
        "全般",
        "一式",
        "案件",
        "諸",
        "類",
        "もろもろ",
    }
)
#: As the head (last) noun of an object these make it a catch-all.
_VAGUE_OBJECT_HEADS = frozenset(
    {"業務", "事務", "作業", "仕事", "もの", "物", "こと", "事", "件", "対応", "処理", "関係"}
)
#: Alone, these generic nouns do not say which one.
_GENERIC_OBJECTS = frozenset({"書類", "資料", "データ", "情報", "内容", "文書", "申請", "手続き"})

_WHY_PLACEHOLDERS = frozenset(
    {
        "",
        "-",
        "ー",
        "―",
        "なし",
        "無し",
        "特になし",
        "特に無し",
        "不明",
        "わからない",
        "分からない",
        "?",
        "？",
        "未定",
        "n/a",
        "na",
    }
)
_RULE_MARKERS = (
    "決まり",
    "きまり",
    "決まって",
    "決められ",
    "定められ",
    "規則",
    "ルール",
    "慣例",
    "慣習",
    "前例",
    "例年",
    "昔から",
    "以前から",
    "従来から",
    "前からそう",
    "ずっとそう",
    "前任者",
    "言われ",
    "指示され",
    "指示だから",
    "指示のため",
    "命じられ",
    "しきたり",
    "習わし",
    "ことになって",
    "そうなって",
    "マニュアル",
    "規定",
    "要綱",
    "通知で",
    "上司の指示",
)
_OUTCOME_MARKERS = (
    "ように",
    "よう",
    "防ぐ",
    "防止",
    "防げ",
    "確保",
    "守る",
    "守れ",
    "住民",
    "市民",
    "申請者",
    "利用者",
    "来庁者",
    "職員が",
    "事業者",
    "納税者",
    "早く",
    "迅速",
    "正確",
    "確実",
    "減ら",
    "削減",
    "短縮",
    "把握",
    "安全",
    "公平",
    "適正",
    "できる",
    "受け取れ",
    "使え",
    "保護",
    "負担",
    "不正",
    "誤り",
    "ミス",
    "漏れ",
    "なりすまし",
    "健康",
    "支払",
    "払え",
    "届く",
    "知らせ",
    "遅れ",
    "請求",
    "根拠",
    "説明でき",
    "証明",
    "トラブル",
    "二重",
)

_local = threading.local()


@cache
def _dictionary() -> Dictionary:
    return Dictionary(dict="core")


def _tokenizer(mode: str = "A"):
    # Objects are split finely (申請 / 関係 / 書類); verbs coarsely, so that compound verbs
    # (読み取る, 取りまとめる) stay one action.
    key = f"tokenizer_{mode}"
    tokenizer = getattr(_local, key, None)
    if tokenizer is None:
        split_mode = SplitMode.A if mode == "A" else SplitMode.C
        tokenizer = _dictionary().tokenizer(mode=split_mode)
        setattr(_local, key, tokenizer)
    return tokenizer


def _normalise(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def _words(text: str, mode: str = "A") -> list[_Word]:
    words: list[_Word] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        for morpheme in _tokenizer(mode).tokenize(line[:2000]):
            if not morpheme.surface().strip():
                continue
            pos = morpheme.part_of_speech()
            words.append(
                _Word(
                    surface=morpheme.surface(),
                    lemma=morpheme.dictionary_form(),
                    pos=tuple(pos[:4]),
                    form=pos[5],
                )
            )
    return _mark_noun_verbs(words)


def _mark_noun_verbs(words: list[_Word]) -> list[_Word]:
    """A noun right before する names the action even when the dictionary does not mark it
    as サ変 (開栓する, 点数化する): retag it so the rules see one concrete action."""
    marked = list(words)
    for index in range(1, len(marked)):
        if marked[index].lemma in {"する", "できる"} and marked[index - 1].pos[0] in {
            "名詞",
            "接尾辞",
        }:
            previous = marked[index - 1]
            if previous.is_sahen_noun:
                continue
            # 点数 + 化 + する: the whole run of nouns is the action.
            start = index - 1
            while start > 0 and marked[start - 1].pos[0] in {"名詞", "接尾辞"}:
                start -= 1
            surface = "".join(w.surface for w in marked[start:index])
            marked[start:index] = [
                _Word(surface, surface, ("名詞", "普通名詞", "サ変可能", "*"), "*")
            ]
            return _mark_noun_verbs(marked)
    return marked


# --- subject ---------------------------------------------------------------------------------


def _subject_is_person(words: list[_Word]) -> bool:
    for index, word in enumerate(words):
        if word.pos[:3] == ("名詞", "固有名詞", "人名"):
            return True
        if word.surface in _NAME_SUFFIXES and index > 0:
            return True
        if word.surface in _FIRST_PERSON or word.lemma in _FIRST_PERSON:
            return True
    return False


# --- verb ------------------------------------------------------------------------------------


def _action_clauses(words: list[_Word]) -> list[list[_Word]]:
    """The verb field split into clauses, each holding at most one action."""
    clauses: list[list[_Word]] = [[]]
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        boundary_before = (
            word.pos[0] == "補助記号"
            or word.surface in _CONJUNCTIONS
            or (word.pos[0] == "助詞" and word.surface in _SPLIT_PARTICLES)
        )
        if boundary_before:
            clauses.append([])
            continue
        clauses[-1].append(word)
        # 作成し提出する, 受け付け入力する: a verb in 連用形 followed by a new action noun
        # (a verb followed by a verb is a compound verb: 読み取る).
        if (
            word.is_verb
            and word.form.startswith("連用形")
            and following is not None
            and following.is_sahen_noun
        ):
            clauses.append([])
    return [clause for clause in clauses if clause]


def _clause_actions(clause: list[_Word]) -> list[str]:
    """The action words of one clause (dictionary forms), light verbs dropped when the
    clause has another action (入力を行う -> 入力)."""
    actions = [word.lemma for word in clause if word.is_sahen_noun or word.is_verb]
    concrete = [action for action in actions if action not in _LIGHT_VERBS]
    return concrete or actions


def _is_concrete_action(word: _Word) -> bool:
    """An action of its own: not a light or auxiliary verb (する, 行う, いる, おく)."""
    if word.lemma in _LIGHT_VERBS:
        return False
    return word.is_sahen_noun or word.pos[:2] == ("動詞", "一般")


def _verb_codes(verb: str) -> list[str]:
    if not verb:
        return [VERB_MISSING]
    words = _words(verb, mode="C")
    if not any(word.is_verb or word.is_sahen_noun for word in words):
        return [VERB_MISSING]
    clauses = _action_clauses(words)
    codes: list[str] = []
    all_actions = [action for clause in clauses for action in _clause_actions(clause)]
    all_actions = [a for a in all_actions if a not in _AUXILIARY_VERBS] or all_actions
    if all(action in _VAGUE_VERBS for action in all_actions):
        codes.append(VERB_VAGUE)
    # A clause made only of a light or auxiliary verb (…している, …をし、) adds no action.
    real = [clause for clause in clauses if any(_is_concrete_action(w) for w in clause)]
    if len(real) >= 2:
        codes.append(MULTIPLE_ACTIONS)
    return codes


# --- object ----------------------------------------------------------------------------------


def _object_is_vague(text: str, words: list[_Word]) -> bool:
    if any(
        word.surface in _VAGUE_OBJECT_WORDS or word.lemma in _VAGUE_OBJECT_WORDS for word in words
    ):
        return True
    nouns = [word for word in words if word.pos[0] in {"名詞", "代名詞"}]
    if nouns and nouns[-1].lemma in _VAGUE_OBJECT_HEADS:
        return True
    content = [word for word in words if word.is_content]
    return len(content) == 1 and content[0].lemma in _GENERIC_OBJECTS


# --- why -------------------------------------------------------------------------------------


def _why_is_rule_only(text: str) -> bool:
    if not any(marker in text for marker in _RULE_MARKERS):
        return False
    return not any(marker in text for marker in _OUTCOME_MARKERS)


# --- the checker -----------------------------------------------------------------------------


def check_codes(*, subject: str = "", verb: str = "", object: str = "", why: str = "") -> list[str]:
    """The codes of the findings for one statement, in the order of :data:`CODES`."""
    subject, verb, object_, why = (_normalise(v) for v in (subject, verb, object, why))
    codes: set[str] = set()
    if not subject:
        codes.add(SUBJECT_MISSING)
    elif _subject_is_person(_words(subject)):
        codes.add(SUBJECT_PERSON)
    codes.update(_verb_codes(verb))
    if not object_:
        codes.add(OBJECT_MISSING)
    elif _object_is_vague(object_, _words(object_)):
        codes.add(OBJECT_VAGUE)
    if why.casefold() in _WHY_PLACEHOLDERS:
        codes.add(WHY_MISSING)
    elif _why_is_rule_only(why):
        codes.add(WHY_RULE_ONLY)
    return [code for code in CODES if code in codes]


def check_statement(
    *, subject: str = "", verb: str = "", object: str = "", why: str = ""
) -> list[Finding]:
    """The findings for one statement (codes with their teaching messages)."""
    return [
        Finding(code) for code in check_codes(subject=subject, verb=verb, object=object, why=why)
    ]
