"""GiNZA, the Japanese dependency parser, loaded once per process.

The model (``ja_ginza``: spaCy with SudachiPy and its core dictionary) takes a few seconds
and ~300 MB to load, so it is loaded lazily on the first check, under a lock, and kept for
the life of the process (a web worker, a Celery worker, a pytest worker). Only the
components the checker reads are loaded: the tokenizer (SudachiPy: parts of speech,
dictionary forms, conjugation), ``tok2vec`` and the dependency ``parser``; the named-entity
recogniser and the bunsetsu and compound components are excluded, which halves the time
per statement. SudachiPy's tokenizer is not safe to share between threads, so every call
into the model holds the same lock (a web or Celery worker process checks one batch at a
time anyway).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "ja_ginza"
EXCLUDED = ("ner", "bunsetu_recognizer", "compound_splitter", "morphologizer")

_lock = threading.RLock()
_nlp: Language | None = None
#: How many times the model was loaded in this process, and how long it took (for tests and
#: the benchmark: it must be once).
loads = 0
load_seconds = 0.0


def nlp() -> Language:
    """The loaded pipeline (loading it on the first call)."""
    global _nlp, loads, load_seconds
    if _nlp is None:
        with _lock:
            if _nlp is None:
                started = time.perf_counter()
                _nlp = spacy.load(MODEL, exclude=list(EXCLUDED))
                loads += 1
                load_seconds = time.perf_counter() - started
    return _nlp


@dataclass(frozen=True, slots=True)
class Word:
    """One token as the rules see it (no spaCy objects leave this module)."""

    i: int
    surface: str
    lemma: str
    pos: str  # universal POS: NOUN, VERB, AUX, ADP, PROPN ...
    tag: tuple[str, ...]  # SudachiPy's part of speech: 名詞, 普通名詞, サ変可能, ...
    dep: str  # dependency relation (nsubj, obj, advcl, ROOT ...), without GiNZA's _bunsetu
    head: int
    inflection: str  # conjugation form, e.g. 連用形-一般 ('' when none)
    start: int  # character offset in the parsed text

    @property
    def is_sahen(self) -> bool:
        return self.tag[:1] == ("名詞",) and "サ変可能" in self.tag

    @property
    def is_noun(self) -> bool:
        return self.tag[0] in {"名詞", "代名詞"} or self.pos in {"NOUN", "PROPN"}


def _words(doc: Doc) -> list[Word]:
    words = []
    for token in doc:
        inflection = ";".join(token.morph.get("Inflection"))
        words.append(
            Word(
                i=token.i,
                surface=token.orth_,
                lemma=token.lemma_,
                pos=token.pos_,
                tag=(*token.tag_.split("-"), "*", "*", "*"),
                dep=token.dep_.removesuffix("_bunsetu"),
                head=token.head.i,
                inflection=inflection.split(";")[-1] if inflection else "",
                start=token.idx,
            )
        )
    return words


def parse(texts: Iterable[str]) -> list[list[Word]]:
    """Tokens with parts of speech and dependencies, one list per text (batched)."""
    texts = list(texts)
    model = nlp()
    with _lock:
        return [_words(doc) for doc in model.pipe(texts, batch_size=64)]


def tokenize(text: str) -> list[Word]:
    """Tokens with parts of speech only (SudachiPy; no parse: a fraction of a millisecond)."""
    model = nlp()
    with _lock:
        return _words(model.make_doc(text))
