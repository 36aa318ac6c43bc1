"""The guidebook search: Japanese queries against the token index, ranked, with snippets.

Query words are analysed exactly as the pages were (``content.japanese``). The database
narrows the pages down with one ``LIKE`` per query word (works on SQLite and PostgreSQL);
ranking is BM25 computed here over those candidates, which is exact because every page
containing any query word is a candidate. Pages that contain every query word come first;
if none does, the pages with some of them are shown and flagged as partial matches.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import japanese
from .models import SearchEntry

K1 = 1.2
B = 0.75
TITLE_BOOST = 1.5
PHRASE_BOOST = 2.0
MAX_RESULTS = 50
SNIPPET_BEFORE = 40
SNIPPET_LENGTH = 140


@dataclass
class SearchHit:
    page: object
    title: str
    snippet: SafeString
    score: float
    matched: int


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


def _group_condition(group: japanese.QueryGroup) -> Q:
    condition = Q(pk__in=[])
    if group.terms:
        condition = reduce(
            lambda acc, term: acc & Q(tokens__contains=f" {term} "),
            group.terms[1:],
            Q(tokens__contains=f" {group.terms[0]} "),
        )
    if group.reading:
        condition |= Q(readings__contains=group.reading)
    return condition


def _frequency(entry: SearchEntry, counts: Counter, group: japanese.QueryGroup) -> int:
    """How often the group occurs: its rarest word, or its kana reading."""
    term_hits = min((counts[term] for term in group.terms), default=0)
    reading_hits = entry.readings.count(group.reading) if group.reading else 0
    return max(term_hits, reading_hits)


def guidebook_search(query: str) -> SearchResults:
    """Live guidebook pages matching ``query``, best first (at most MAX_RESULTS)."""
    groups = japanese.parse_query(query or "")
    results = SearchResults(query=query or "", groups=groups)
    if not groups:
        return results
    live = SearchEntry.objects.filter(page__live=True)
    candidates = list(
        live.filter(reduce(or_, (_group_condition(group) for group in groups)))
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
    total = live.count()
    average_length = max(1.0, sum(e.token_count for e in candidates) / len(candidates))
    frequencies = {}
    for entry in candidates:
        counts = Counter(entry.tokens.split())
        frequencies[entry.pk] = [_frequency(entry, counts, group) for group in groups]
    document_frequency = [
        sum(1 for e in candidates if frequencies[e.pk][i]) for i in range(len(groups))
    ]
    phrase = "".join(japanese.normalize(query).split())
    scored = []
    for entry in candidates:
        score = 0.0
        matched = 0
        length_factor = 1 - B + B * entry.token_count / average_length
        for i, group in enumerate(groups):
            tf = frequencies[entry.pk][i]
            if not tf:
                continue
            matched += 1
            df = document_frequency[i]
            idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
            score += idf * tf * (K1 + 1) / (tf + K1 * length_factor)
            if any(f" {term} " in entry.title_tokens for term in group.terms):
                score += TITLE_BOOST * idf
        if len(groups) > 1 and phrase and phrase in japanese.normalize(entry.text):
            score += PHRASE_BOOST
        scored.append((matched, score, entry))
    complete = [item for item in scored if item[0] == len(groups)]
    results.partial = not complete
    chosen = complete or scored
    chosen.sort(key=lambda item: (-item[0], -item[1], item[2].page.path))
    for matched, score, entry in chosen[:MAX_RESULTS]:
        results.hits.append(
            SearchHit(
                page=entry.page,
                title=entry.title,
                snippet=highlight_snippet(entry.text, groups),
                score=round(score, 3),
                matched=matched,
            )
        )
    return results


def _match_spans(text: str, groups: list[japanese.QueryGroup]) -> list[tuple[int, int]]:
    """Character spans of ``text`` where a query word (or a kana reading) occurs."""
    tokens = japanese.analyse(text)
    terms = {term for group in groups for term in group.terms}
    spans = [(t.begin, t.end) for t in tokens if t.is_content and t.norm in terms]
    for reading in (group.reading for group in groups if group.reading):
        for start in range(len(tokens)):
            joined = ""
            for stop in range(start, len(tokens)):
                joined += tokens[stop].reading
                if not reading.startswith(joined[: len(reading)]):
                    break
                if len(joined) >= len(reading):
                    spans.append((tokens[start].begin, tokens[stop].end))
                    break
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


def highlight_snippet(text: str, groups: list[japanese.QueryGroup]) -> SafeString:
    """A passage around the first match, HTML-escaped, matches wrapped in ``<mark>``."""
    text = " ".join(text.split("\n"))
    spans = _match_spans(text, groups)
    if not spans:
        start = 0
    else:
        start = max(0, spans[0][0] - SNIPPET_BEFORE)
    stop = min(len(text), start + SNIPPET_LENGTH)
    parts = ["…" if start > 0 else ""]
    cursor = start
    for begin, end in spans:
        if end <= start or begin >= stop:
            continue
        begin, end = max(begin, start), min(end, stop)
        parts.append(escape(text[cursor:begin]))
        parts.append(f"<mark>{escape(text[begin:end])}</mark>")
        cursor = end
    parts.append(escape(text[cursor:stop]))
    parts.append("…" if stop < len(text) else "")
    return mark_safe("".join(parts))
