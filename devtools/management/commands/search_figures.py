"""``manage.py search_figures``: recall@3 and MRR of the guidebook search on labelled queries.

The queries (``tests/data/search_labelled.tsv``) are labelled against the demo guidebook, so
the command needs it: ``--seed`` creates it when the guidebook has no edition yet. The suite
runs this command on the held-out third (tests/content/test_search_figures.py) and so does
``manage.py benchmark``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from content.models import GuidebookPage
from content.search_quality import (
    SPLITS,
    TARGET_MRR,
    TARGET_RECALL,
    LabelError,
    figures_by_split,
    load_labelled,
)

DEFAULT_FILE = Path(settings.BASE_DIR) / "tests" / "data" / "search_labelled.tsv"


class Command(BaseCommand):
    help = "Print recall@3 and MRR of the guidebook search for each split of the labelled queries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
        parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
        parser.add_argument("--seed", action="store_true", help="Create the demo guidebook first.")
        parser.add_argument(
            "--check", action="store_true", help="Fail when a split is below the targets."
        )
        parser.add_argument("--misses", action="store_true", help="List the queries that missed.")

    def handle(self, *args, **options) -> None:
        if options["seed"]:
            from devtools.demo.guidebook import guidebook_seed

            guidebook_seed()
        if not GuidebookPage.objects.live().exists():
            raise CommandError(
                "The guidebook has no live edition: run manage.py seed_demo, or add --seed."
            )
        try:
            queries = load_labelled(options["file"])
        except (OSError, LabelError) as error:
            raise CommandError(str(error)) from error
        splits = SPLITS if options["split"] == "all" else (options["split"],)
        results = figures_by_split(queries, splits)
        self.stdout.write(f"{'split':<8} {'queries':>7} {'recall@3':>9} {'MRR':>6} {'p95 ms':>7}")
        for figures in results:
            self.stdout.write(
                f"{figures.split:<8} {figures.count:>7} {figures.recall_at_3:>9.3f} "
                f"{figures.mrr:>6.3f} {figures.p95_ms:>7.1f}"
            )
        self.stdout.write(f"{'target':<8} {'':>7} {TARGET_RECALL:>9.2f} {TARGET_MRR:>6.2f}")
        if options["misses"]:
            for figures in results:
                for outcome in figures.misses:
                    self.stdout.write(
                        f"  {figures.split} {outcome.labelled.query!r}: expected "
                        f"{','.join(outcome.labelled.expected)}, found "
                        f"{','.join(outcome.found[:3]) or '-'} ({outcome.labelled.note})"
                    )
        failing = [f.split for f in results if not f.passed]
        if options["check"] and failing:
            raise CommandError(f"Below the targets: {', '.join(failing)}")
