"""What the guidebook search knows about words: synonyms and the index's own vocabulary.

Three sources of equivalent words, all used in both directions:

* Sudachi's synonym dictionary (Apache-2.0, Works Applications), the one chikkarpy reads,
  exported to ``content/data/sudachi_synonyms.tsv.gz`` by ``scripts/export_sudachi_synonyms.py``
  (one group a line; a word marked ``?`` is ambiguous and never triggers an expansion,
  as in chikkarpy). Noun groups only.
* The city's vocabulary (``CityVocabulary`` snippets), kept by editors in the CMS.
* The glossary: a term, its English term and its reading (えすぶいおー = SVO).

The index vocabulary (every word of a live page, with the number of pages that have it) lets
a query word that is in no page fall back to a longer compound that contains it (ナンバー ->
マイナンバー) or, for katakana, to a word one keystroke away (クラウト -> クラウド).

The database part (city groups, glossary, vocabulary) is kept in each process's memory and
dropped in every process (``core.shared_cache``) whenever a vocabulary group, a glossary term
or the search index changes.
"""

from __future__ import annotations

import gc
import gzip
import re
from collections import Counter
from functools import cache, cached_property
from pathlib import Path

from core import shared_cache

from . import japanese
from .models import CityVocabulary, GlossaryTerm, SearchEntry

SYNONYM_FILE = Path(__file__).resolve().parent / "data" / "sudachi_synonyms.tsv.gz"
CACHE_NAME = "content:search:lexicon:v1"
# Kept in each process's memory (``core.shared_cache``): invalidate() makes every web and
# Celery process build it again on its next search; without Redis, within this bound.
CACHE_SECONDS = 300
#: A query word shorter than this never falls back to compounds containing it.
MIN_CONTAINED_LENGTH = 2
#: Katakana words shorter than this are not corrected (カード / コード are both words).
MIN_TYPO_LENGTH = 4
MAX_COMPOUNDS = 8
_KATAKANA_RUN = re.compile(rf"[\u30a1-\u30fa\u30fc]{{{MIN_TYPO_LENGTH - 1},}}")


@cache
def sudachi_groups() -> tuple[tuple[tuple[str, ...], ...], dict[str, tuple[int, ...]]]:
    """Sudachi's synonym groups, and for each unambiguous word the groups it belongs to.

    Loaded once per process, on the first search; the garbage collector is paused while the
    200,000 small objects are made (it would otherwise scan the whole heap several times
    and triple the time)."""
    groups: list[tuple[str, ...]] = []
    index: dict[str, list[int]] = {}
    text = gzip.decompress(SYNONYM_FILE.read_bytes()).decode("utf-8")
    collecting = gc.isenabled()
    gc.disable()
    try:
        for line in text.splitlines():
            words = line.split("\t")[1:]
            number = len(groups)
            groups.append(tuple(word.lstrip("?") for word in words))
            for word in words:
                if not word.startswith("?"):
                    index.setdefault(japanese.normalize(word), []).append(number)
        return tuple(groups), {word: tuple(numbers) for word, numbers in index.items()}
    finally:
        if collecting:
            gc.enable()


def _glossary_groups() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(the term and its English term, the readings that lead to them): a reading is
    looked up but never searched for itself (でじたるか is not in any text)."""
    groups = []
    for term, term_en, reading in GlossaryTerm.objects.values_list("term", "term_en", "reading"):
        readings = (reading, japanese.to_katakana(japanese.normalize(reading))) if reading else ()
        groups.append((tuple(word for word in (term, term_en) if word), readings))
    return groups


def _vocabulary() -> tuple[dict[str, int], dict[str, int], int]:
    """Index words and katakana runs of the text (ワークシート is two index words, ワーク
    and シート, but one word to correct a typo against), each with its number of pages."""
    words: Counter = Counter()
    katakana: Counter = Counter()
    documents = 0
    entries = SearchEntry.objects.filter(page__live=True).values_list("tokens", "text")
    for tokens, text in entries:
        documents += 1
        words.update(set(tokens.split()))
        katakana.update(set(_KATAKANA_RUN.findall(japanese.normalize(text))))
    return dict(words), dict(katakana), documents


def _load() -> dict:
    vocabulary, katakana, documents = _vocabulary()
    return {
        "city": [tuple(group.term_list()) for group in CityVocabulary.objects.all()],
        "glossary": _glossary_groups(),
        "vocabulary": vocabulary,
        "katakana": katakana,
        "documents": documents,
    }


def invalidate() -> None:
    """Forget the cached vocabulary in every process (a group, a glossary term or an indexed
    page changed)."""
    shared_cache.drop(CACHE_NAME)


def one_edit_apart(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with one character replaced, added or removed."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(long)):
        if long[:i] + long[i + 1 :] == short:
            return True
    return False


class Lexicon:
    """The words the search knows, as of the last change (see ``current``)."""

    def __init__(self, data: dict) -> None:
        self.vocabulary: dict[str, int] = data["vocabulary"]
        self.documents: int = data["documents"]
        self.katakana_runs: dict[str, int] = data["katakana"]
        self._local: dict[str, list[tuple[str, ...]]] = {}
        keyed = [(group, ()) for group in data["city"]] + list(data["glossary"])
        for group, keys in keyed:
            for word in (*group, *keys):
                self._local.setdefault(japanese.normalize(word), []).append(tuple(group))

    @cached_property
    def phrases(self) -> frozenset[str]:
        """Known terms of several space-separated words (digital transformation)."""
        return frozenset(word for word in self._local if " " in word)

    @cached_property
    def _katakana(self) -> dict[str, int]:
        words = {
            word: count
            for word, count in self.vocabulary.items()
            if len(word) >= MIN_TYPO_LENGTH - 1 and japanese.is_katakana_only(word)
        }
        for run, count in self.katakana_runs.items():
            words[run] = max(count, words.get(run, 0))
        return words

    def equivalents(self, word: str) -> list[str]:
        """Words that mean the same as ``word``: the city's and the glossary's first."""
        key = japanese.normalize(word)
        found: dict[str, None] = {}
        for group in self._local.get(key, []):
            found.update(dict.fromkeys(group))
        groups, index = sudachi_groups()
        for number in index.get(key, ()):
            found.update(dict.fromkeys(groups[number]))
        return [other for other in found if japanese.normalize(other) != key]

    def containing(self, term: str) -> list[str]:
        """Index words that contain ``term`` (the longer compound), most widespread first."""
        if len(term) < MIN_CONTAINED_LENGTH:
            return []
        found = [word for word in self.vocabulary if term in word and word != term]
        found.sort(key=lambda word: (-self.vocabulary[word], len(word), word))
        return found[:MAX_COMPOUNDS]

    def correction(self, word: str) -> str:
        """The index's katakana word one keystroke from ``word`` (the most widespread), or ''."""
        katakana = self._katakana
        if len(word) < MIN_TYPO_LENGTH or word in self.vocabulary or word in katakana:
            return ""
        near = [other for other in katakana if one_edit_apart(word, other)]
        if not near:
            return ""
        return min(near, key=lambda other: (-katakana[other], other))


def current() -> Lexicon:
    """The lexicon, from this process's cache when it is current (no query then)."""
    return Lexicon(shared_cache.cached(CACHE_NAME, load=_load, seconds=CACHE_SECONDS))
