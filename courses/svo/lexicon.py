"""The checker's word knowledge: the data files in ``courses/svo/data/`` plus the words editors
add in the CMS (Settings > SVO checker words), merged at check time.

The parse says which word is the verb, the object's head or a person's name; these lists say
only what the parse cannot know: which verbs are catch-alls in city-hall writing, which words
give a rule or a habit as the reason, which name an outcome, a means or nothing at all. The
files are read once per process; the CMS words are cached per process for five minutes, and
the saving process clears its copy (``SvoCheckerWords.save``), so every web and Celery
process sees an editor's words within five minutes.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.db import DatabaseError

from core import shared_cache
from courses.models import SvoCheckerWords
from courses.models.svo_words import CACHE_NAME

logger = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
#: The lists, by file name; the CMS setting has one text field per list with the same name.
LISTS = (
    "vague_verbs",
    "vague_object_words",
    "vague_object_tails",
    "vague_object_heads",
    "generic_objects",
    "generic_object_tails",
    "placeholders",
    "rule_markers",
    "outcome_markers",
    "how_means",
    "how_empty_words",
    "organisation_words",
)
#: Editors may extend only these from the CMS (the others are grammar-like and stay in files).
EDITABLE = ("vague_verbs", "rule_markers", "outcome_markers", "how_means", "how_empty_words")
CACHE_SECONDS = 300


@dataclass(frozen=True, slots=True)
class Lexicon:
    vague_verbs: frozenset[str]
    vague_object_words: frozenset[str]
    vague_object_tails: frozenset[str]
    vague_object_heads: frozenset[str]
    generic_objects: frozenset[str]
    generic_object_tails: frozenset[str]
    placeholders: frozenset[str]
    rule_markers: tuple[str, ...]
    outcome_markers: tuple[str, ...]
    how_means: tuple[str, ...]
    how_empty_words: frozenset[str]
    organisation_words: frozenset[str]


def read_words(text: str) -> list[str]:
    """One word per line; blank lines and ``#`` comments are skipped; NFKC is left to the
    checker, which normalises both sides."""
    words = []
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if word:
            words.append(word)
    return words


@cache
def file_words() -> dict[str, tuple[str, ...]]:
    return {
        name: tuple(read_words((DATA / f"{name}.txt").read_text(encoding="utf-8")))
        for name in LISTS
    }


def cms_words() -> dict[str, tuple[str, ...]]:
    """The editors' extra words (kept in each process until an editor saves them:
    ``core.shared_cache``); nothing when the table is not there yet."""
    try:
        return shared_cache.cached(CACHE_NAME, load=_load_cms_words, seconds=CACHE_SECONDS)
    except DatabaseError:  # before migrate, or in a command run without a database
        logger.warning("SVO checker words could not be read; using the data files only")
        return {}


def _load_cms_words() -> dict[str, tuple[str, ...]]:
    setting = SvoCheckerWords.objects.first()
    if setting is None:
        return {}
    return {name: tuple(read_words(getattr(setting, name))) for name in EDITABLE}


def clear_cache() -> None:
    shared_cache.drop(CACHE_NAME)


_ORDERED = {"rule_markers", "outcome_markers", "how_means"}


def build(extra: dict[str, tuple[str, ...]] | None = None) -> Lexicon:
    """The lexicon from the files plus ``extra`` words per list."""
    return _build(tuple(sorted((extra or {}).items())))


@lru_cache(maxsize=8)
def _build(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> Lexicon:
    added = dict(extra)
    merged = {
        name: tuple(unicodedata.normalize("NFKC", w) for w in words + added.get(name, ()))
        for name, words in file_words().items()
    }
    return Lexicon(
        **{
            name: (tuple(words) if name in _ORDERED else frozenset(words))
            for name, words in merged.items()
        }
    )


def current() -> Lexicon:
    """The lexicon with the editors' words (what the checker uses by default)."""
    return build(cms_words())
