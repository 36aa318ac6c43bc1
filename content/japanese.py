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
from dataclasses import dataclass
from functools import cache

from sudachipy import Dictionary, SplitMode

#: Parts of speech that carry no meaning of their own for search.
STOP_POS = frozenset({"助詞", "助動詞", "補助記号", "空白"})

_HIRAGANA = re.compile(r"[\u3041-\u3096]")
_KANA_ONLY = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fcー]+$")
_local = threading.local()


@dataclass(frozen=True, slots=True)
class Token:
    surface: str
    norm: str  # normalised form, NFKC and case-folded: what the index stores
    reading: str  # katakana reading
    begin: int  # offsets into the analysed string
    end: int
    is_content: bool


@cache
def _dictionary() -> Dictionary:
    return Dictionary(dict="core")


def _tokenizer():
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _local.tokenizer = _dictionary().create(mode=SplitMode.A)
    return tokenizer


def normalize(text: str) -> str:
    """NFKC (width: ＤＸ -> DX, ｶﾅ -> カナ) and case folding."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def to_katakana(text: str) -> str:
    return _HIRAGANA.sub(lambda m: chr(ord(m.group()) + 0x60), text)


def is_kana_only(word: str) -> bool:
    return bool(_KANA_ONLY.match(word))


def analyse(text: str) -> list[Token]:
    """Every word of ``text`` with offsets into ``text`` itself (line by line, to stay
    under Sudachi's input size limit)."""
    tokens: list[Token] = []
    offset = 0
    tokenizer = _tokenizer()
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


@dataclass(frozen=True, slots=True)
class QueryGroup:
    """One thing the query asks for; a document has it when any alternative is present.

    ``terms`` must all be index words of the document; ``reading`` (for kana queries) is
    a katakana string looked for in the document's readings.
    """

    terms: tuple[str, ...]
    reading: str = ""
    label: str = ""


def parse_query(query: str) -> list[QueryGroup]:
    """Split a query into groups: one per content word, one per kana-only word."""
    groups: list[QueryGroup] = []
    for word in normalize(query).split():
        if is_kana_only(word):
            katakana = to_katakana(word)
            terms = tuple(index_terms(analyse(katakana)))
            if not terms and len(word) < 3:
                continue  # a lone particle (の, を) would match every page
            groups.append(QueryGroup(terms=terms, reading=katakana, label=word))
            continue
        for term in index_terms(analyse(word)):
            if not any(group.terms == (term,) for group in groups):
                groups.append(QueryGroup(terms=(term,), label=term))
    return groups
