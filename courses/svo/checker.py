"""Automatic checks of one SVO statement: WHAT (subject, verb, object), WHY, HOW and hours.

The checks teach; they never block. Codes and messages are in ``codes.py``; the word
knowledge (catch-all verbs, rule-only reasons, means of a HOW ...) is in ``data/*.txt`` plus
what editors add in the CMS (``lexicon.py``). The grammar comes from GiNZA's dependency parse
(``parsing.py``): the statement is parsed as one sentence, 「{subject}が{object}を{verb}」, and
each rule reads the words of its own field with their parts of speech, dependencies and heads:

- a *person* is a word tagged 名詞-固有名詞-人名 that is not followed by an office or place
  word (大島出張所 is a place), a name suffix (さん, 様) or a first-person pronoun;
- an *action* is a verb that is neither auxiliary nor light (する, いる, できる), a サ変 noun,
  or any noun the parse finds directly before する (開栓する, even a typo such as 訪門する);
  サ変 nouns joined by the parser as a compound (本人確認) are one action, joined by ・ or 、
  two; 入力を行う is one action (the light 行う drops out when another action is there);
- the verb is *vague* when every action is a catch-all verb (対応, 処理, 取り組む, 調整 ...);
- the object is *vague* when it holds a catch-all word (各種, 〜関係), ends in one (〜等), has a
  catch-all head noun (the parse's head: 窓口業務), or is one generic noun alone (書類);
- a WHY is *rule only* when it gives a rule, custom or habit and names no outcome (a
  beneficiary, a risk avoided, a result, or 〜ように after a verb: 同じように is not one);
  it *restates the WHAT* when every content word in it comes from the WHAT;
- a HOW is *vague* when it names no means (a tool, channel, form, system or step) and either
  adds nothing but improvement words and words of its own WHAT, or ends in an empty
  improvement verb (見直す, 図る, 進める);
- hours: missing, zero, or more than one person's year (1,900 hours) from count x minutes.

Placeholders (なし, 特になし, －, 検討中) count as empty in every field. Measured precision and
recall, with the held-out third of the labelled set: docs/svo_checker.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from . import lexicon as lexicon_module
from .codes import (  # noqa: F401 - re-exported: the rest of the app imports them from here
    CODE_FIELDS,
    CODES,
    HOURS_CODES,
    HOURS_IMPLAUSIBLE,
    HOURS_MISSING,
    HOURS_PER_PERSON_YEAR,
    HOURS_ZERO,
    HOW_MISSING,
    HOW_VAGUE,
    MESSAGES,
    MESSAGES_JA,
    MULTIPLE_ACTIONS,
    OBJECT_MISSING,
    OBJECT_VAGUE,
    SUBJECT_MISSING,
    SUBJECT_PERSON,
    VERB_MISSING,
    VERB_VAGUE,
    WHY_MISSING,
    WHY_RESTATES_WHAT,
    WHY_RULE_ONLY,
    Finding,
    findings_for,
)
from .lexicon import Lexicon
from .parsing import Word, parse, tokenize

# Grammar, not knowledge: these stay in code.
_NAME_SUFFIXES = frozenset({"さん", "様", "さま", "氏", "君", "くん", "ちゃん", "殿"})
_FIRST_PERSON = frozenset({"私", "わたし", "僕", "自分", "俺", "わたくし"})
_LIGHT_VERBS = frozenset({"行う", "おこなう", "実施", "実行", "する", "できる", "いたす", "致す"})
_AUXILIARY_VERBS = frozenset(
    {"いる", "おく", "しまう", "くる", "いく", "ある", "みる", "もらう", "いただく", "くれる"}
)
_BEFORE_SURU = frozenset({"する", "できる", "いたす", "致す"})
_FUNCTION_WORDS = frozenset(
    {"ため", "為", "こと", "事", "よう", "もの", "物", "ところ", "です", "ます", "だ", "の"}
)
_CONTENT_TAGS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞"})


@dataclass(frozen=True, slots=True)
class Statement:
    """What the checker reads. ``how`` is None when the exercise does not ask for HOW, and
    the volume is checked only when ``hours_asked``."""

    subject: str = ""
    verb: str = ""
    object: str = ""
    why: str = ""
    how: str | None = None
    count_per_year: int | None = None
    minutes_per_case: Decimal | int | None = None
    hours_asked: bool = False


def _normalise(text: str | None, lex: Lexicon) -> str:
    text = unicodedata.normalize("NFKC", text or "").strip()
    bare = re.sub(r"[\s。．.、,!！]+$", "", text)
    return (
        "" if bare.casefold() in lex.placeholders or text.casefold() in lex.placeholders else text
    )


@dataclass(slots=True)
class _Fields:
    subject: str
    verb: str
    object: str
    why: str
    how: str | None
    sentence: str
    spans: dict[str, tuple[int, int]]


def _prepare(statement: Statement, lex: Lexicon) -> _Fields:
    subject, verb, object_, why = (
        _normalise(value, lex)
        for value in (statement.subject, statement.verb, statement.object, statement.why)
    )
    how = None if statement.how is None else _normalise(statement.how, lex)
    sentence, spans = "", {}
    for name, text, particle in (("subject", subject, "が"), ("object", object_, "を")):
        if text:
            spans[name] = (len(sentence), len(sentence) + len(text))
            sentence += text + particle
    if verb:
        spans["verb"] = (len(sentence), len(sentence) + len(verb))
        sentence += verb
    return _Fields(subject, verb, object_, why, how, sentence, spans)


def _span(words: list[Word], spans: dict[str, tuple[int, int]], name: str) -> list[Word]:
    if name not in spans:
        return []
    start, end = spans[name]
    return [word for word in words if start <= word.start < end]


# --- subject ---------------------------------------------------------------------------------


def _subject_is_person(words: list[Word], lex: Lexicon) -> bool:
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        if word.tag[:3] == ("名詞", "固有名詞", "人名"):
            # 大島出張所 is a place; 田中係長 (係 + 長, a title) is a person.
            after = words[index + 2] if index + 2 < len(words) else None
            office = following is not None and following.lemma in lex.organisation_words
            if not office or (after is not None and after.surface.startswith("長")):
                return True
        if word.surface in _NAME_SUFFIXES and index > 0:
            return True
        if word.surface in _FIRST_PERSON or word.lemma in _FIRST_PERSON:
            return True
    return False


# --- verb ------------------------------------------------------------------------------------


def _actions(words: list[Word]) -> list[str]:
    """The actions of the verb field (dictionary forms), in order."""
    actions: list[str] = []
    previous_action: Word | None = None
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        previous = words[index - 1] if index else None
        # A dependent verb (いる, おく, なる ...) is an auxiliary after a て-form or another
        # verb, and the main verb otherwise (残業関係をやる).
        auxiliary = (
            "非自立可能" in word.tag
            and previous is not None
            and (previous.surface in {"て", "で"} or previous.tag[0] == "動詞" or previous.is_noun)
        )
        is_verb = word.tag[0] == "動詞" and not auxiliary
        before_suru = word.is_noun and following is not None and following.lemma in _BEFORE_SURU
        if not (is_verb or word.is_sahen or before_suru or word.lemma in _LIGHT_VERBS):
            if word.tag[0] not in {"接頭辞", "接尾辞"}:
                previous_action = None
            continue
        # 現地調査, 本人確認: nouns the parser joins as a compound name one action.
        if (
            previous_action is not None
            and previous_action.is_noun
            and word.is_noun
            and previous_action.head == word.i
            and previous_action.dep == "compound"
        ):
            actions[-1] = word.lemma
        elif word.tag[0] == "動詞" and auxiliary and word.lemma not in _LIGHT_VERBS:
            continue  # いる, おく, しまう after a て-form
        else:
            actions.append(word.lemma)
        previous_action = word
    actions = [a for a in actions if a not in _AUXILIARY_VERBS] or actions
    # する after a noun (実施する, 入力する) is part of that action, not one of its own.
    actions = [a for a in actions if a not in _BEFORE_SURU] or actions[:1]
    concrete = [a for a in actions if a not in _LIGHT_VERBS]
    return concrete or actions


def _verb_codes(words: list[Word], lex: Lexicon) -> list[str]:
    actions = _actions(words)
    if not actions:
        return [VERB_MISSING]
    codes = []
    if all(action in lex.vague_verbs for action in actions):
        codes.append(VERB_VAGUE)
    if len(actions) >= 2:
        codes.append(MULTIPLE_ACTIONS)
    return codes


# --- object ----------------------------------------------------------------------------------


def _object_is_vague(words: list[Word], lex: Lexicon) -> bool:
    # Inside a dictionary compound too: 関係書類, 関連資料.
    if any(
        w.lemma in lex.vague_object_words
        or any(len(v) > 1 and v in w.surface for v in lex.vague_object_words)
        for w in words
    ):
        return True
    content = [w for w in words if w.tag[0] not in {"助詞", "補助記号", "助動詞"}]
    if content and content[-1].surface in lex.vague_object_tails:
        return True
    inside = {w.i for w in words}
    heads = [w for w in words if w.head not in inside and w.is_noun]
    head = heads[-1] if heads else (content[-1] if content else None)
    if head is not None and (head.lemma in lex.vague_object_heads):
        return True
    nouns = [w for w in content if w.tag[0] in _CONTENT_TAGS or w.tag[0] == "接頭辞"]
    if len(nouns) != 1:
        return False
    # 書類 alone, or one dictionary word that names a class of them (申告書類, 添付資料).
    lemma = nouns[0].lemma
    return lemma in lex.generic_objects or any(
        lemma.endswith(tail) for tail in lex.generic_object_tails
    )


# --- why -------------------------------------------------------------------------------------


def _content(words: list[Word]) -> list[Word]:
    return [
        w
        for w in words
        if w.tag[0] in _CONTENT_TAGS
        and "非自立可能" not in w.tag
        and w.lemma not in _FUNCTION_WORDS
        and w.surface not in _FUNCTION_WORDS
    ]


def _names_outcome(text: str, words: list[Word], lex: Lexicon) -> bool:
    if any(marker in text for marker in lex.outcome_markers):
        return True
    # 〜できるように, 〜ならないように: a purpose; 同じように, このように: a manner.
    for index, word in enumerate(words[1:], start=1):
        if word.lemma == "よう" and words[index - 1].pos in {"VERB", "AUX"}:
            if words[index - 1].lemma not in {"だ", "の"}:
                return True
    return False


def _why_codes(why: str, what: str, what_words: list[Word], lex: Lexicon) -> list[str]:
    if not why:
        return [WHY_MISSING]
    words = tokenize(why)
    content = _content(words)
    if not content:
        return [WHY_MISSING]
    if any(marker in why for marker in lex.rule_markers) and not _names_outcome(why, words, lex):
        return [WHY_RULE_ONLY]
    what_lemmas = {w.lemma for w in what_words}
    if all(w.lemma in what_lemmas or w.surface in what for w in content):
        return [WHY_RESTATES_WHAT]
    return []


# --- how -------------------------------------------------------------------------------------

_ASCII = re.compile(r"[a-z0-9]+")


def _names_means(how: str, words: list[Word], lex: Lexicon) -> bool:
    folded = how.casefold()
    lemmas = {w.lemma for w in words}
    for means in lex.how_means:
        key = means.casefold()
        if _ASCII.fullmatch(key):
            if re.search(rf"(?<![a-z]){re.escape(key)}(?![a-z])", folded):
                return True
        elif key in folded or means in lemmas:
            return True
    return False


def _how_codes(how: str | None, what: str, what_words: list[Word], lex: Lexicon) -> list[str]:
    if how is None:
        return []
    if not how:
        return [HOW_MISSING]
    words = tokenize(how)
    if _names_means(how, words, lex):
        return []
    covered = set()
    for empty in lex.how_empty_words:
        for match in re.finditer(re.escape(empty), how):
            covered.update(range(match.start(), match.end()))
    what_lemmas = {w.lemma for w in what_words}
    leftover = [
        w
        for w in _content(words)
        if w.lemma not in lex.how_empty_words
        and w.lemma not in what_lemmas
        and w.surface not in what
        and not all(i in covered for i in range(w.start, w.start + len(w.surface)))
    ]
    actions = [w for w in words if (w.tag[0] == "動詞" and "非自立可能" not in w.tag) or w.is_sahen]
    ends_empty = bool(actions) and actions[-1].lemma in lex.how_empty_words
    return [HOW_VAGUE] if not leftover or ends_empty else []


# --- hours -----------------------------------------------------------------------------------


def _hours_codes(statement: Statement) -> list[str]:
    if not statement.hours_asked:
        return []
    count, minutes = statement.count_per_year, statement.minutes_per_case
    if count is None or minutes is None:
        return [HOURS_MISSING]
    if count == 0 or minutes == 0:
        return [HOURS_ZERO]
    if Decimal(count) * Decimal(minutes) / 60 > HOURS_PER_PERSON_YEAR:
        return [HOURS_IMPLAUSIBLE]
    return []


# --- the checker -----------------------------------------------------------------------------


def check_many(
    statements: Sequence[Statement], *, lexicon: Lexicon | None = None
) -> list[list[str]]:
    """The codes for each statement, in the order of :data:`CODES` (parsed as one batch)."""
    lex = lexicon or lexicon_module.current()
    prepared = [_prepare(statement, lex) for statement in statements]
    parsed = iter(parse([fields.sentence for fields in prepared if fields.sentence]))
    results = []
    for statement, fields in zip(statements, prepared, strict=True):
        words = next(parsed) if fields.sentence else []
        subject = _span(words, fields.spans, "subject")
        verb = _span(words, fields.spans, "verb")
        object_ = _span(words, fields.spans, "object")
        codes: set[str] = set()
        if not fields.subject:
            codes.add(SUBJECT_MISSING)
        elif _subject_is_person(subject, lex):
            codes.add(SUBJECT_PERSON)
        codes.update(_verb_codes(verb, lex) if fields.verb else [VERB_MISSING])
        if not fields.object:
            codes.add(OBJECT_MISSING)
        elif _object_is_vague(object_, lex):
            codes.add(OBJECT_VAGUE)
        what = fields.subject + fields.verb + fields.object
        what_words = _content(subject + verb + object_)
        codes.update(_why_codes(fields.why, what, what_words, lex))
        codes.update(_how_codes(fields.how, what, what_words, lex))
        codes.update(_hours_codes(statement))
        results.append([code for code in CODES if code in codes])
    return results


def check_codes(
    *,
    subject: str = "",
    verb: str = "",
    object: str = "",
    why: str = "",
    how: str | None = None,
    count_per_year: int | None = None,
    minutes_per_case: Decimal | int | None = None,
    hours_asked: bool = False,
    lexicon: Lexicon | None = None,
) -> list[str]:
    """The codes of the findings for one statement, in the order of :data:`CODES`."""
    statement = Statement(
        subject, verb, object, why, how, count_per_year, minutes_per_case, hours_asked
    )
    return check_many([statement], lexicon=lexicon)[0]


def check_statement(**fields) -> list[Finding]:
    """The findings for one statement (codes with their teaching messages)."""
    return findings_for(
        check_codes(**fields),
        count=fields.get("count_per_year"),
        minutes=fields.get("minutes_per_case"),
    )
