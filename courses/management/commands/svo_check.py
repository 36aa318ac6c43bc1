"""``manage.py svo_check FILE.tsv [--measure]``: run the SVO checker over a TSV file.

The file has a header row with the columns ``subject verb object why`` (tab separated, UTF-8).
One JSON object per statement is printed: ``{"line": n, "codes": [...]}`` where ``n`` is the
line in the file. With ``--measure`` the file must also have a ``codes`` column (the expected
codes, comma separated) and precision and recall per code are printed after the lines.
"""

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.svo.checker import check_codes
from courses.svo.quality import measure, read_labelled

REQUIRED_COLUMNS = ("subject", "verb", "object", "why")


class Command(BaseCommand):
    help = "Check SVO statements from a TSV file; prints one JSON object per line."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--measure", action="store_true", help="compare with the file's codes column"
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text: {error}") from error
        reader = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or [])]
        if missing:
            raise CommandError(f"{path}: header lacks column(s): {', '.join(missing)}")
        for row in reader:
            codes = check_codes(
                subject=row.get("subject") or "",
                verb=row.get("verb") or "",
                object=row.get("object") or "",
                why=row.get("why") or "",
            )
            self.stdout.write(
                json.dumps({"line": reader.line_num, "codes": codes}, ensure_ascii=False)
            )
        if options["measure"]:
            if "codes" not in (reader.fieldnames or []):
                raise CommandError(f"{path}: --measure needs a codes column")
            for row in measure(read_labelled(text)):
                self.stdout.write(
                    f"{row.code}\tprecision {row.precision:.2f}\trecall {row.recall:.2f}"
                    f"\t(tp {row.true_positives}, fp {row.false_positives},"
                    f" fn {row.false_negatives})"
                )
