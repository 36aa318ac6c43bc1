"""``manage.py import_questions FILE [--format gift|moodlexml] [--category NAME] [--dry-run]
[--skip-invalid]``.

Prints one line per question (to be) imported and one per refused question with its line
number, name and reason. A file with any problem imports nothing and the command fails, with
or without ``--dry-run``; with ``--skip-invalid`` the valid questions are imported, the refused
ones are listed, and the command succeeds if at least one question was imported.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.interchange import FORMATS, parse_questions
from courses.interchange.importing import ImportRefused, questions_import


class Command(BaseCommand):
    help = "Import questions into the question bank from a GIFT or Moodle XML file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=sorted(FORMATS), default=None)
        parser.add_argument("--category", default="", help="for questions without a category")
        parser.add_argument("--dry-run", action="store_true", help="only show what would happen")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid questions and list the refused ones, instead of nothing",
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text: {error}") from error
        parsed = parse_questions(text, fmt=options["format"], file_name=path.name)
        prefix = "would import" if options["dry_run"] else "import"
        for question in parsed.questions:
            category = question.category or options["category"] or "Imported"
            self.stdout.write(
                f"{prefix}: line {question.line}: [{question.qtype}] "
                f"{question.display_name} ({category})"
            )
        skip = options["skip_invalid"]
        for problem in parsed.problems:
            self.stderr.write(f"{'refused' if skip else 'problem'}: {problem}")
        if options["dry_run"]:
            summary = (
                f"dry run: {len(parsed.questions)} question(s), {len(parsed.problems)} problem(s)"
            )
            if parsed.problems and not (skip and parsed.questions):
                # Same exit status as the real import would give, so scripts can check first.
                raise CommandError(summary)
            self.stdout.write(summary)
            return
        try:
            created = questions_import(
                parsed=parsed, category=options["category"], skip_invalid=skip
            )
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        refused = f", refused {len(parsed.problems)}" if parsed.problems else ""
        self.stdout.write(self.style.SUCCESS(f"imported {len(created)} question(s){refused}"))
