"""The guidebook search: Japanese queries against the token index, ranked, with snippets.

Query words are analysed exactly as the pages were (``content.japanese``), each with the
other ways of saying it that ``content.lexicon`` knows (synonyms, the city's vocabulary,
glossary readings, a longer compound, a one-key katakana typo corrected). Alternatives that
are in no page are dropped before the database is asked, which narrows the pages down with
one ``LIKE`` per word (works on SQLite and PostgreSQL); ranking is BM25 computed here over
those candidates, which is exact because every page containing any query word is a
candidate. A page that says it in the query's own words scores above one that uses a
synonym. Pages that contain every query group come first; if none does, the pages with some
of them are shown and flagged as partial matches.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import reduce
from operator import and_, or_

from django.db.models import Q
from django.utils.safestring import SafeString
from wagtail.models import Page

from . import japanese, lexicon
from .highlight import highlight_snippet
from .models import Edition, GuidebookPage, SearchEntry

K1 = 1.2
B = 0.75
TITLE_BOOST = 1.5
PHRASE_BOOST = 2.0
#: A page that says it another way (a synonym, a compound) counts this much of one that
#: uses the query's own words.
ALTERNATIVE_WEIGHT = 0.8
#: Words of one group found apart on a page count this much of words side by side.
SCATTERED_WEIGHT = 0.3
MAX_RESULTS = 50
MAX_SHOWN_ALTERNATIVES = 8


@dataclass
class SearchHit:
    page: object
    title: str
    snippet: SafeString
    score: float
    matched: int
    edition: str = ""  # Edition value of the page's edition: "full" or "summary"

    @property
    def edition_label(self) -> str:
        return Edition(self.edition).label if self.edition else ""


@dataclass
class SearchResults:
    query: str
    groups: list[japanese.QueryGroup]
    hits: list[SearchHit] = field(default_factory=list)
    partial: bool = False

    @property
    def searched(self) -> bool:
        """False when the query had nothing to look for (empty, or only particles)."""
        return bool(self.groups)

    @property
    def also_searched(self) -> list[str]:
        """The other words (synonyms, compounds) that some page has, as written."""
        words: dict[str, None] = {}
        for group in self.groups:
            for terms, spelling in group.spellings:
                if terms in group.alternatives:
                    words.setdefault(spelling, None)
        return list(words)[:MAX_SHOWN_ALTERNATIVES]

    @property
    def corrections(self) -> list[tuple[str, str]]:
        """(as typed, as searched) for each katakana word corrected."""
        return [(g.corrected_from, g.label) for g in self.groups if g.corrected_from]


def _known(group: japanese.QueryGroup, vocabulary: dict[str, int]) -> japanese.QueryGroup:
    """The group with only the ways of saying it that some page has."""
    sets = [terms for terms in group.term_sets if all(t in vocabulary for t in terms)]
    own = group.terms if group.terms in sets else ()
    return replace(group, terms=own, alternatives=tuple(t for t in sets if t != own))


def _group_condition(group: japanese.QueryGroup) -> Q:
    condition = Q(pk__in=[])
    for terms in group.term_sets:
        condition |= reduce(and_, (Q(tokens__contains=f" {term} ") for term in terms))
    if group.reading:
        condition |= Q(readings__contains=group.reading)
    return condition


def _occurrences(entry: SearchEntry, counts: Counter, terms: tuple[str, ...]) -> float:
    """How often ``terms`` occur: side by side (紙 + 減らす in 紙を減らす) counts fully,
    scattered over the page a little."""
    if len(terms) == 1:
        return counts[terms[0]]
    together = entry.tokens.count(japanese.token_string(list(terms)))
    apart = min(counts[term] for term in terms)
    return together + SCATTERED_WEIGHT * max(0, apart - together)


def _frequency(entry: SearchEntry, counts: Counter, group: japanese.QueryGroup) -> float:
    """How often the group occurs: the query's own words plus its synonyms (weighted; as
    Lucene's SynonymQuery, a page saying it several ways is more about it), or its kana
    reading."""
    own = _occurrences(entry, counts, group.terms) if group.terms else 0
    other = sum(
        _occurrences(entry, counts, terms)
        for terms in group.alternatives
        if len(terms) == 1 or japanese.token_string(list(terms)) in entry.tokens
    )
    reading_hits = entry.readings.count(group.reading) if group.reading else 0
    return max(own + ALTERNATIVE_WEIGHT * other, reading_hits)


def _in_title(entry: SearchEntry, group: japanese.QueryGroup) -> bool:
    return any(
        all(f" {term} " in entry.title_tokens for term in terms) for terms in group.term_sets
    )


def _editions(entries: list[SearchEntry]) -> dict[int, str]:
    """The edition of each entry's page (itself or its parent edition), in one query."""
    paths = {e.page.path for e in entries} | {e.page.path[: -e.page.steplen] for e in entries}
    by_path = dict(GuidebookPage.objects.filter(path__in=paths).values_list("path", "edition"))
    return {
        e.pk: by_path.get(e.page.path) or by_path.get(e.page.path[: -e.page.steplen], "")
        for e in entries
    }


def guidebook_search(query: str) -> SearchResults:
    """Live guidebook pages matching ``query``, best first (at most MAX_RESULTS)."""
    words = lexicon.current()
    groups = japanese.parse_query(query or "", words)
    results = SearchResults(query=query or "", groups=groups)
    if not groups:
        return results
    known = [_known(group, words.vocabulary) for group in groups]
    results.groups = known
    conditions = [_group_condition(group) for group in known]
    candidates = list(
        SearchEntry.objects.filter(page__live=True)
        .filter(reduce(or_, conditions))
        .select_related("page")
        .only(
            "id",
            "title",
            "title_tokens",
            "tokens",
            "readings",
            "text",
            "token_count",
            "page__id",
            "page__url_path",
            "page__path",
            "page__depth",
            "page__title",
            "page__content_type_id",
            "page__live",
            "page__slug",
        )
    )
    if not candidates:
        return results
    total = max(words.documents, len(candidates))
    average_length = max(1.0, sum(e.token_count for e in candidates) / len(candidates))
    frequencies = {}
    for entry in candidates:
        counts = Counter(entry.tokens.split())
        frequencies[entry.pk] = [_frequency(entry, counts, group) for group in known]
    document_frequency = [
        sum(1 for e in candidates if frequencies[e.pk][i]) for i in range(len(known))
    ]
    phrase = "".join(japanese.normalize(query).split())
    scored = []
    for entry in candidates:
        score = 0.0
        matched = 0
        length_factor = 1 - B + B * entry.token_count / average_length
        for i, group in enumerate(known):
            tf = frequencies[entry.pk][i]
            if not tf:
                continue
            matched += 1
            df = document_frequency[i]
            idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
            score += idf * tf * (K1 + 1) / (tf + K1 * length_factor)
            if _in_title(entry, group):
                score += TITLE_BOOST * idf
        if len(known) > 1 and phrase and phrase in japanese.normalize(entry.text):
            score += PHRASE_BOOST
        scored.append((matched, score, entry))
    complete = [item for item in scored if item[0] == len(known)]
    results.partial = not complete
    chosen = complete or scored
    chosen.sort(key=lambda item: (-item[0], -item[1], item[2].page.path))
    chosen = chosen[:MAX_RESULTS]
    editions = _editions([entry for _, _, entry in chosen])
    # The specific pages (for their English titles), one query per page type, not per hit.
    pages = Page.objects.filter(pk__in=[entry.page_id for _, _, entry in chosen]).specific()
    specific = {page.pk: page for page in pages}
    for matched, score, entry in chosen:
        results.hits.append(
            SearchHit(
                page=specific.get(entry.page_id, entry.page),
                title=entry.title,
                snippet=highlight_snippet(entry.text, known),
                score=round(score, 3),
                matched=matched,
                edition=editions.get(entry.pk, ""),
            )
        )
    return results
