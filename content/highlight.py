"""Snippets of search results with the words that matched marked, never single characters.

A match is a run of words of the page that spells one way of saying a query group
(デジタル + 化 for デジタル化, 押印 for ハンコ), or a kana reading spanning words. Single
words of the query's own several-word group (not of a synonym) are marked alone only when
they are at least two characters,
so 化 or 体 is never marked by itself; a one-character word is marked only when it is the
whole of what was asked (紙).
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import japanese

SNIPPET_BEFORE = 40
SNIPPET_LENGTH = 140


def _runs(tokens: list[japanese.Token], terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans where the content words of ``tokens`` read ``terms`` in order, side by side."""
    content = [t for t in tokens if t.is_content]
    spans = []
    size = len(terms)
    for i in range(len(content) - size + 1):
        window = content[i : i + size]
        if tuple(t.norm.replace(" ", "_") for t in window) == terms:
            spans.append((window[0].begin, window[-1].end))
    return spans


def _reading_spans(tokens: list[japanese.Token], reading: str) -> list[tuple[int, int]]:
    spans = []
    for start in range(len(tokens)):
        joined = ""
        for stop in range(start, len(tokens)):
            joined += tokens[stop].reading
            if not reading.startswith(joined[: len(reading)]):
                break
            if len(joined) >= len(reading):
                spans.append((tokens[start].begin, tokens[stop].end))
                break
    return spans


def match_spans(text: str, groups: list[japanese.QueryGroup]) -> list[tuple[int, int]]:
    """Character spans of ``text`` to mark, merged and in order."""
    tokens = japanese.analyse(text)
    spans: list[tuple[int, int]] = []
    loose: set[str] = set()
    for group in groups:
        for terms in group.term_sets:
            if len(terms) == 1 and len(terms[0]) == 1 and terms != group.terms:
                continue  # a one-character synonym is never marked
            spans += _runs(tokens, terms)
        if len(group.terms) > 1:
            loose.update(term for term in group.terms if len(term) >= 2)
        if group.reading and len(group.reading) >= 2:
            spans += _reading_spans(tokens, group.reading)
    spans += [(t.begin, t.end) for t in tokens if t.is_content and t.norm in loose]
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
    spans = match_spans(text, groups)
    start = max(0, spans[0][0] - SNIPPET_BEFORE) if spans else 0
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
