"""The arithmetic of seconds watched (pure: no database)."""

import pytest

from courses.video.intervals import accept, clamp, merge, total


@pytest.mark.parametrize(
    ("given", "merged"),
    [
        ([], []),
        ([[0, 5]], [(0, 5)]),
        ([[5, 8], [0, 3]], [(0, 3), (5, 8)]),  # sorted
        ([[0, 5], [3, 8]], [(0, 8)]),  # overlapping
        ([[0, 5], [5, 8]], [(0, 8)]),  # touching
        ([[0, 10], [2, 4]], [(0, 10)]),  # contained
        ([[4, 4], [6, 5]], []),  # empty and reversed dropped
        ([[0, 1], [2, 3], [0.5, 2.5]], [(0, 3)]),  # a bridge joins three
    ],
)
def test_merge(given, merged):
    assert merge(given) == merged


def test_clamp_cuts_to_the_duration_and_drops_what_is_outside():
    assert clamp([[-2, 3], [8, 12], [15, 20]], 10) == [(0, 3), (8, 10)]


def test_total_is_the_length_of_merged_intervals():
    assert total(merge([[0, 5], [3, 8], [10, 12]])) == 10


def test_accept_counts_a_replayed_part_once():
    merged, added = accept([[0, 30]], [[10, 40]], duration=100, budget=100)
    assert merged == [(0, 40)]
    assert added == 10


def test_seeking_ahead_does_not_count_the_skipped_seconds():
    # Played 0-10, sought to 80, played 80-85: the jump 10-80 is in no interval.
    merged, added = accept([], [[0, 10], [80, 85]], duration=100, budget=100)
    assert merged == [(0, 10), (80, 85)]
    assert added == 15
    assert total(merged) == 15


def test_the_budget_limits_new_seconds_earliest_first():
    merged, added = accept([[0, 10]], [[0, 30], [50, 60]], duration=100, budget=12)
    assert added == 12
    assert merged == [(0, 22)]


def test_a_replay_costs_no_budget():
    merged, added = accept([[0, 60]], [[0, 60]], duration=100, budget=0)
    assert merged == [(0, 60)]
    assert added == 0


def test_accept_clamps_reports_to_the_duration():
    merged, added = accept([], [[95, 130]], duration=100, budget=100)
    assert merged == [(95, 100)]
    assert added == 5


def test_a_negative_budget_adds_nothing():
    assert accept([], [[0, 5]], duration=10, budget=-3) == ([], 0)
