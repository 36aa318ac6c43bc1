"""Japanese text analysis for the guidebook search: words, normal forms and readings.

SudachiPy with its core dictionary splits text into words (Japanese has no spaces) and gives
each word a normalised form (orthographic variants folded: 附属/付属, シュミレーション/
シミュレーション) and a katakana reading. On top of that everything is NFKC-normalised and
case-folded, so ＤＸ, DX and dx are one word.

The tokenizer is built lazily, once per thread (Sudachi's tokenizer keeps state between calls).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Protocol

from sudachipy import Dictionary, SplitMode

#: Parts of speech that carry no meaning of their own for search.
STOP_POS = frozenset({"助詞", "助動詞", "補助記号", "空白"})
#: Parts of speech that only make sense attached to a neighbour (デジタル|化, 申請|書).
AFFIX_POS = frozenset({"接尾辞", "接頭辞"})

_HIRAGANA = re.compile(r"[\u3041-\u3096]")
_KANA_ONLY = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fcー]+$")
_KATAKANA_ONLY = re.compile(r"^[\u30a1-\u30fa\u30fc]+$")
_local = threading.local()


@dataclass(frozen=True, slots=True)
class Token:
    surface: str
    norm: str  # normalised form, NFKC and case-folded: what the index stores
    reading: str  # katakana reading
    begin: int  # offsets into the analysed string
    end: int
    is_content: bool
    is_affix: bool = False


@cache
def _dictionary() -> Dictionary:
    return Dictionary(dict="core")


def _tokenizer(mode: SplitMode = SplitMode.A):
    name = f"tokenizer_{mode}"
    tokenizer = getattr(_local, name, None)
    if tokenizer is None:
        tokenizer = _dictionary().create(mode=mode)
        setattr(_local, name, tokenizer)
    return tokenizer


def normalize(text: str) -> str:
    """NFKC (width: ＤＸ -> DX, ｶﾅ -> カナ) and case folding."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def to_katakana(text: str) -> str:
    return _HIRAGANA.sub(lambda m: chr(ord(m.group()) + 0x60), text)


def is_kana_only(word: str) -> bool:
    return bool(_KANA_ONLY.match(word))


def is_katakana_only(word: str) -> bool:
    return bool(_KATAKANA_ONLY.match(word))


def analyse(text: str, *, compounds: bool = False) -> list[Token]:
    """Every word of ``text`` with offsets into ``text`` itself (line by line, to stay
    under Sudachi's input size limit). Short units (業務 / 改善) unless ``compounds``, then
    Sudachi's longest units (マイナンバーカード, 生成AI)."""
    tokens: list[Token] = []
    offset = 0
    tokenizer = _tokenizer(SplitMode.C if compounds else SplitMode.A)
    for line in (text or "").splitlines(keepends=True):
        if line.strip():
            for morpheme in tokenizer.tokenize(line):
                surface = morpheme.surface()
                if not surface.strip():
                    continue
                pos = morpheme.part_of_speech()[0]
                tokens.append(
                    Token(
                        surface=surface,
                        norm=normalize(morpheme.normalized_form()),
                        reading=to_katakana(normalize(morpheme.reading_form())),
                        begin=offset + morpheme.begin(),
                        end=offset + morpheme.end(),
                        is_content=pos not in STOP_POS,
                        is_affix=pos in AFFIX_POS,
                    )
                )
        offset += len(line)
    return tokens


def index_terms(tokens: list[Token]) -> list[str]:
    """The words the index keeps: content words, normalised, spaces never inside a word."""
    return [token.norm.replace(" ", "_") for token in tokens if token.is_content and token.norm]


def reading_text(tokens: list[Token]) -> str:
    """The readings of all words run together (so a kana query may span several words)."""
    return "".join(token.reading for token in tokens)


def token_string(terms: list[str]) -> str:
    """Space-delimited with a space at each end, so ``' word '`` matches whole words only."""
    return f" {' '.join(terms)} " if terms else ""


class Lexicon(Protocol):
    """What the query parser may ask about words (``content.lexicon.Lexicon``)."""

    vocabulary: Mapping[str, int]

    @property
    def phrases(self) -> frozenset[str]: ...

    def equivalents(self, word: str) -> list[str]: ...

    def containing(self, term: str) -> list[str]: ...

    def correction(self, word: str) -> str: ...


#: At most this many other ways of saying one query word are looked for.
MAX_ALTERNATIVES = 12
_KATAKANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fc]{3,}")


@dataclass(frozen=True, slots=True)
class QueryGroup:
    """One thing the query asks for; a document has it when any way of saying it is present.

    ``terms`` (the query's own words) must all be index words of the document, or all the
    words of one of the ``alternatives`` (synonyms, or a longer compound containing the
    query word); ``reading`` (for kana queries) is a katakana string looked for in the
    document's readings. ``corrected_from`` is the katakana word as typed when a one-key typo
    was corrected. ``spellings`` says how each alternative was written (押印, not its index
    words), to tell the reader what else was searched for.
    """

    terms: tuple[str, ...]
    reading: str = ""
    label: str = ""
    alternatives: tuple[tuple[str, ...], ...] = ()
    corrected_from: str = ""
    spellings: tuple[tuple[tuple[str, ...], str], ...] = ()

    @property
    def term_sets(self) -> tuple[tuple[str, ...], ...]:
        """Every way a page may contain the group, the query's own words first."""
        return ((self.terms,) if self.terms else ()) + self.alternatives


def _expansions(
    keys: list[str], terms: tuple[str, ...], lexicon: Lexicon | None
) -> dict[tuple[str, ...], str]:
    """The other ways of saying it, as index words, each with how it is written."""
    if lexicon is None:
        return {}
    found: dict[tuple[str, ...], str] = {}
    for key in dict.fromkeys(keys):
        for word in lexicon.equivalents(key):
            other = tuple(index_terms(analyse(normalize(word))))
            if other and other != terms and not set(other) < set(terms):
                found.setdefault(other, word)
    return dict(list(found.items())[:MAX_ALTERNATIVES])


def _with_expansions(group: QueryGroup, found: dict[tuple[str, ...], str]) -> QueryGroup:
    return replace(group, alternatives=tuple(found), spellings=tuple(found.items()))


def _with_fallbacks(group: QueryGroup, lexicon: Lexicon | None) -> QueryGroup:
    """When no way of saying the group is in any page, try the longer compounds that
    contain its words (ナンバー -> マイナンバー)."""
    if lexicon is None or not group.terms:
        return group
    vocabulary = lexicon.vocabulary
    if any(all(term in vocabulary for term in terms) for terms in group.term_sets):
        return group
    found = dict(group.spellings)
    for word in lexicon.containing("".join(group.terms)):
        found.setdefault((word,), word)
    for i, term in enumerate(group.terms):
        if term not in vocabulary:
            for word in lexicon.containing(term):
                other = (*group.terms[:i], word, *group.terms[i + 1 :])
                found.setdefault(other, "".join(other))
    return _with_expansions(group, dict(list(found.items())[: MAX_ALTERNATIVES * 2]))


def _pieces(tokens: list[Token]) -> list[list[Token]]:
    """Content words, an affix or a lone character joined to its neighbour
    (デジタル|化, 自治|体): one character alone is almost never what was meant."""
    pieces: list[list[Token]] = []
    for token in tokens:
        if not token.is_content:
            continue
        short = token.is_affix or len(token.surface) == 1
        if pieces and pieces[-1][-1].end == token.begin:
            last = pieces[-1]
            if short or all(t.is_affix or len(t.surface) == 1 for t in last):
                last.append(token)
                continue
        pieces.append([token])
    return pieces


def _group(label: str, tokens: list[Token], lexicon: Lexicon | None) -> QueryGroup | None:
    terms = tuple(index_terms(tokens))
    if not terms:
        return None
    found = _expansions([label, "".join(terms)], terms, lexicon)
    group = _with_expansions(QueryGroup(terms=terms, label=label), found)
    return _with_fallbacks(group, lexicon)


def _word_groups(word: str, lexicon: Lexicon | None) -> list[QueryGroup]:
    """Groups of one typed word, analysed in its own context: Sudachi's longest units first;
    a unit the lexicon knows stays whole (生成AI), others split into short words."""
    if lexicon is not None and lexicon.equivalents(word):
        group = _group(word, analyse(word), lexicon)
        return [group] if group else []
    short = analyse(word)
    groups: list[QueryGroup | None] = []
    pending: list[Token] = []

    def flush() -> None:
        for piece in _pieces(pending):
            groups.append(_group(word[piece[0].begin : piece[-1].end], piece, lexicon))
        pending.clear()

    for unit in analyse(word, compounds=True):
        inside = [t for t in short if t.begin >= unit.begin and t.end <= unit.end]
        if lexicon is not None and len(inside) > 1 and lexicon.equivalents(unit.surface):
            flush()
            groups.append(_group(unit.surface, inside, lexicon))
        else:
            pending.extend(inside)
    flush()
    return [group for group in groups if group]


def _kana_group(word: str, lexicon: Lexicon | None) -> QueryGroup | None:
    katakana = to_katakana(word)
    terms = tuple(index_terms(analyse(katakana)))
    found = _expansions([word, katakana], terms, lexicon)
    if not terms and not found and len(word) < 3:
        return None  # a lone particle (の, を) would match every page
    group = _with_expansions(QueryGroup(terms=terms, reading=katakana, label=word), found)
    return _with_fallbacks(group, lexicon)


def _corrected(word: str, lexicon: Lexicon | None) -> tuple[str, str]:
    """``word`` with a katakana run that is in no page replaced by the index word one key
    away; and the run as typed ('' when nothing was corrected)."""
    if lexicon is None:
        return word, ""
    source = to_katakana(word) if is_kana_only(word) else word
    for run in _KATAKANA_RUN.findall(source):
        if run in lexicon.vocabulary or lexicon.equivalents(run):
            continue
        terms = index_terms(analyse(run))
        if terms and all(term in lexicon.vocabulary for term in terms):
            continue
        fixed = lexicon.correction(run)
        if fixed:
            return source.replace(run, fixed, 1), run
    return word, ""


def _units(query: str, lexicon: Lexicon | None) -> list[str]:
    """The typed words, several kept together when they make one known term."""
    words = normalize(query).split()
    phrases = lexicon.phrases if lexicon is not None else frozenset()
    units, i = [], 0
    while i < len(words):
        for j in range(min(len(words), i + 4), i + 1, -1):
            if " ".join(words[i:j]) in phrases:
                units.append(" ".join(words[i:j]))
                i = j
                break
        else:
            units.append(words[i])
            i += 1
    return units


def parse_query(query: str, lexicon: Lexicon | None = None) -> list[QueryGroup]:
    """Split a query into groups: one per word (a compound the lexicon knows stays whole),
    one per kana-only word; with a ``lexicon``, each group also carries its synonyms and
    fallbacks, and a katakana word with a one-key typo is corrected."""
    groups: list[QueryGroup] = []
    for unit in _units(query, lexicon):
        word, typed = _corrected(unit, lexicon)
        if " " in word:
            found = [_group(word, analyse(word), lexicon)]
        elif is_kana_only(word):
            found = [_kana_group(word, lexicon)]
        else:
            found = _word_groups(word, lexicon)
        for group in found:
            if group is None or any(g.term_sets == group.term_sets for g in groups):
                continue
            groups.append(replace(group, corrected_from=typed) if typed else group)
    return groups
