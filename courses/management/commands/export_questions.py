"""``manage.py export_questions [--format moodlexml|gift] [--category NAME] [--output FILE]``.

Writes the question bank (or one category) as Moodle XML (the default: what Moodle's "Moodle
XML format" import reads) or GIFT, to a file or to standard output, so a city can take its
questions to Moodle or another LMS. ``import_questions`` reads either file back.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.interchange import questions_to_gift, questions_to_moodle_xml
from courses.models import Question, QuestionCategory

WRITERS = {"moodlexml": questions_to_moodle_xml, "gift": questions_to_gift}


class Command(BaseCommand):
    help = "Export the question bank as Moodle XML or GIFT."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(WRITERS), default="moodlexml")
        parser.add_argument("--category", default="", help="only this category (its name)")
        parser.add_argument("--output", type=Path, default=None, help="file (default: stdout)")

    def handle(self, *args, **options):
        questions = Question.objects.select_related("category").prefetch_related("answers")
        if options["category"]:
            category = QuestionCategory.objects.filter(name=options["category"]).first()
            if category is None:
                raise CommandError(f"No category named {options['category']!r}.")
            questions = questions.filter(category=category)
        questions = list(questions.order_by("category__name", "pk"))
        if not questions:
            raise CommandError("There are no questions to export.")
        text = WRITERS[options["format"]](questions)
        if options["output"] is None:
            self.stdout.write(text, ending="")
            return
        try:
            options["output"].write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {options['output']}: {error}") from error
        self.stderr.write(f"exported {len(questions)} question(s) to {options['output']}")
