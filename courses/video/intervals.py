"""The arithmetic of seconds watched: pure functions, no database.

The player reports the intervals it actually played (a seek starts a new interval, so the
seconds jumped over are never in one). The server keeps their union per learner and lesson:

* ``merge`` sorts and joins overlapping or touching intervals; the result is disjoint.
* ``clamp`` cuts intervals to [0, duration] and drops empty ones.
* ``accept`` adds reported intervals to the kept ones, but only as many *new* seconds as the
  ``budget`` allows (the wall clock since the last report times the fastest playback rate):
  a client cannot claim to have watched more than time allowed. New seconds are taken from
  the start of the video onwards, so a trimmed report keeps its earliest part.
* ``total`` is the length of a merged list.

Intervals are pairs ``[start, end]`` of seconds (floats), start < end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Interval = tuple[float, float]


def merge(intervals: Iterable[Sequence[float]]) -> list[Interval]:
    """The union of ``intervals`` as sorted, disjoint intervals (touching ones joined)."""
    merged: list[list[float]] = []
    for start, end in sorted((float(s), float(e)) for s, e in intervals if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def clamp(intervals: Iterable[Sequence[float]], duration: float) -> list[Interval]:
    """``intervals`` cut to [0, duration]; what falls outside is dropped."""
    clamped = []
    for start, end in intervals:
        start, end = max(0.0, float(start)), min(float(duration), float(end))
        if end > start:
            clamped.append((start, end))
    return clamped


def total(intervals: Iterable[Sequence[float]]) -> float:
    """Seconds covered by merged (disjoint) ``intervals``."""
    return sum(end - start for start, end in intervals)


def _subtract(interval: Interval, kept: list[Interval]) -> list[Interval]:
    """The parts of ``interval`` that no interval of ``kept`` (merged) covers."""
    start, end = interval
    pieces = []
    for kept_start, kept_end in kept:
        if kept_end <= start:
            continue
        if kept_start >= end:
            break
        if kept_start > start:
            pieces.append((start, kept_start))
        start = max(start, kept_end)
        if start >= end:
            break
    if end > start:
        pieces.append((start, end))
    return pieces


def accept(
    kept: Iterable[Sequence[float]],
    reported: Iterable[Sequence[float]],
    *,
    duration: float,
    budget: float,
) -> tuple[list[Interval], float]:
    """Add ``reported`` to ``kept``: returns the merged intervals and the new seconds added.

    Reported intervals are clamped to the duration; of the seconds not yet kept, at most
    ``budget`` are added, earliest first.
    """
    kept_merged = merge(clamp(kept, duration))
    fresh: list[Interval] = []
    for interval in merge(clamp(reported, duration)):
        fresh.extend(_subtract(interval, kept_merged))
    added: list[Interval] = []
    left = max(0.0, budget)
    for start, end in fresh:
        if left <= 0:
            break
        end = min(end, start + left)
        added.append((start, end))
        left -= end - start
    return merge([*kept_merged, *added]), total(added)
