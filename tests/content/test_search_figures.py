"""The search's figures on the labelled queries: the command runs on the held-out third and
meets the issue's targets (recall@3 >= 0.95, MRR >= 0.85)."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from content.search_quality import (
    TARGET_MRR,
    TARGET_RECALL,
    LabelError,
    LabelledQuery,
    QueryOutcome,
    load_labelled,
)

LABELLED = Path(__file__).resolve().parent.parent / "data" / "search_labelled.tsv"


def test_the_labelled_set_has_sixty_queries_and_a_fixed_held_out_third():
    queries = load_labelled(LABELLED)
    assert len(queries) >= 60
    held_out = [q for q in queries if q.split == "heldout"]
    assert len(held_out) == len(queries) // 3
    assert len({q.query for q in queries}) == len(queries)


def test_the_command_says_when_there_is_no_guidebook(db):
    """Before the module's guidebook is built (it lives until the module ends)."""
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("search_figures", stdout=StringIO())


# Marked although the module fixture writes the data: pytest-django runs unmarked tests last,
# after the transactional ones have flushed Wagtail's root and home pages away.
@pytest.mark.django_db
def test_figures_on_the_held_out_third_meet_the_targets(demo_guidebook):
    out = StringIO()
    call_command("search_figures", "--split", "heldout", "--check", "--misses", stdout=out)
    row = re.search(r"^heldout\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out.getvalue(), re.M)
    assert row, out.getvalue()
    count, recall, mrr, p95 = int(row[1]), float(row[2]), float(row[3]), float(row[4])
    assert count >= 20
    assert recall >= TARGET_RECALL and mrr >= TARGET_MRR, out.getvalue()
    assert p95 < 1000


def test_a_malformed_label_file_is_reported_with_its_line(tmp_path):
    path = tmp_path / "labels.tsv"
    path.write_text("# comment\ntune\tハンコ\twhy-before-how\nfold\tRPA\tsmall-wins\n")
    with pytest.raises(LabelError, match=r"labels\.tsv:3"):
        load_labelled(path)


def test_recall_at_3_and_reciprocal_rank():
    labelled = LabelledQuery("tune", "q", ("a", "b"))
    both = QueryOutcome(labelled, ("b", "x", "a", "y"), 1.0)
    assert both.recall == 1.0 and both.reciprocal_rank == 1.0
    late = QueryOutcome(labelled, ("x", "y", "z", "a"), 1.0)
    assert late.recall == 0.0 and late.reciprocal_rank == 0.25
    one = QueryOutcome(labelled, ("x", "a"), 1.0)
    assert one.recall == 0.5 and one.reciprocal_rank == 0.5
    assert QueryOutcome(labelled, (), 1.0).reciprocal_rank == 0.0
