"""``manage.py svo_check FILE.tsv [--measure] [--split held_out|tune|all]``: run the SVO
checker over a TSV file.

The file has a header row with at least the columns ``subject verb object why`` (tab
separated, UTF-8); ``how``, ``count_per_year``, ``minutes_per_case`` and ``asks`` add the HOW
and hours checks (see ``courses.svo.quality``). Without ``--measure`` one JSON object per
statement is printed: ``{"line": n, "codes": [...]}``. With ``--measure`` the file must also
have a ``codes`` column (the expected codes); the command prints the precision and recall of
every code and the micro figures as a Markdown table, for the rows of ``--split`` (default:
the held-out third), then whether the targets hold, and the time per statement.
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.svo import parsing
from courses.svo.checker import CODES
from courses.svo.quality import (
    CODE_RECALL_TARGET,
    HELD_OUT,
    MICRO_TARGET,
    TUNE,
    found_codes,
    measure,
    meets_targets,
    micro,
    read_labelled,
    table,
)

REQUIRED_COLUMNS = ("subject", "verb", "object", "why")


class Command(BaseCommand):
    help = "Check SVO statements from a TSV file; with --measure, print the checker's figures."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--measure", action="store_true", help="compare with the file's codes column"
        )
        parser.add_argument(
            "--split",
            choices=[HELD_OUT, TUNE, "all"],
            default=HELD_OUT,
            help="which rows to measure (default: the held-out third)",
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text: {error}") from error
        header = text.splitlines()[0].split("\t") if text.strip() else []
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise CommandError(f"{path}: header lacks column(s): {', '.join(missing)}")
        try:
            statements = read_labelled(text)
        except ValueError as error:
            raise CommandError(f"{path}: {error}") from error
        if not options["measure"]:
            for statement, codes in zip(statements, found_codes(statements), strict=True):
                line = {"line": statement.line, "codes": [code for code in CODES if code in codes]}
                self.stdout.write(json.dumps(line, ensure_ascii=False))
            return
        if "codes" not in header:
            raise CommandError(f"{path}: --measure needs a codes column")
        split = options["split"]
        rows = [s for s in statements if split == "all" or s.split == split]
        if not rows:
            raise CommandError(f"{path}: no rows in the split {split!r}")
        parsing.nlp()  # load once, outside the timing
        started = time.perf_counter()
        found = found_codes(rows)
        per_statement_ms = (time.perf_counter() - started) * 1000 / len(rows)
        results = measure(rows, found)
        pooled = micro(results)
        self.stdout.write(f"{len(rows)} statements ({split}) from {path.name}")
        for line in table(results):
            self.stdout.write(line)
        verdict = "met" if meets_targets(results) else "NOT met"
        self.stdout.write(
            f"targets (micro precision and recall >= {MICRO_TARGET}, every code's recall >= "
            f"{CODE_RECALL_TARGET}): {verdict} (micro precision {pooled.precision:.2f}, "
            f"recall {pooled.recall:.2f})"
        )
        self.stdout.write(f"checking took {per_statement_ms:.1f} ms per statement (batched)")
