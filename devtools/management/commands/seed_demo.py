"""``manage.py seed_demo``: create the demo city and print the sign-in accounts.

Production settings do not install devtools, so a production server has no such command. The
refusal to run under production settings without ``--force`` stays anyway: it costs nothing
and still guards a set-up that installs devtools on top of the production settings.
"""

import time
import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from content.sites import default_site_follow_site_url
from devtools.demo import demo_city_seed, demo_content_seed, minimum_staff
from devtools.demo.surveys import surveys_demo_seed


def _width(text: str) -> int:
    """Columns the text takes in a terminal: full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True))

    return [line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)]


class Command(BaseCommand):
    help = (
        "Create a demo city (about 800 staff in a 部/課/係 tree, DX PROs, one sign-in account "
        "per role) and print the accounts. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--staff",
            type=int,
            default=800,
            help=f"Active staff including the demo accounts (at least {minimum_staff()}).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the generator.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with production settings (creates accounts with a known password).",
        )

    def handle(self, *args, staff: int, seed: int, force: bool, **options) -> None:
        if (settings.SETTINGS_MODULE or "").endswith(".production") and not force:
            raise CommandError(
                "Refusing to create demo accounts with a published password under production "
                "settings. Pass --force if this really is a demo installation."
            )
        started = time.monotonic()
        try:
            result = demo_city_seed(staff=staff, seed=seed)
        except ValueError as error:
            raise CommandError(str(error)) from error
        content = demo_content_seed()
        surveys = surveys_demo_seed(seed=seed)
        # migrate did this already, unless SITE_URL changed since (another port for the demo).
        default_site_follow_site_url()
        elapsed = time.monotonic() - started

        created = result["created"]
        self.stdout.write(
            f"Demo city for FY{result['fiscal_year']}: {result['departments']} departments, "
            f"{result['sections']} sections, {result['units']} units; {result['staff']} active "
            f"staff ({result['fixed_term']} fixed-term, {result['reappointed']} re-appointed), "
            f"{result['inactive']} inactive."
        )
        self.stdout.write(
            f"DX PROs: {result['dx_pros']} in {result['sections_with_dx_pro']} sections; "
            f"none yet in: {', '.join(result['sections_without_dx_pro'])}."
        )
        self.stdout.write(
            f"Created this run: {created['units']} units, {created['people']} people, "
            f"{created['dx_pro_assignments']} DX PRO appointments ({elapsed:.1f} s)."
        )
        guidebook, courses = content["guidebook"], content["courses"]
        self.stdout.write(
            f"Guidebook: {guidebook['editions']} editions, {guidebook['chapters']} chapters, "
            f"{guidebook['terms']} glossary terms created this run."
        )
        self.stdout.write(
            f"Courses: {courses['courses']} courses, {courses['lessons']} lessons, "
            f"{courses['quizzes']} quizzes, {courses['questions']} questions created this run."
        )
        worksheets, training = content["worksheets"], content["training"]
        self.stdout.write(
            f"SVO worksheets: {worksheets['worksheets']} in the demo "
            f"({len(worksheets['created'])} created this run)."
        )
        self.stdout.write(
            f"Mandatory course assigned: {training['enrolled']} staff enrolled for this year."
        )
        reading = content["reading"]
        self.stdout.write(
            f"Guidebook reading: {reading['summary']} summary-edition and {reading['full']} "
            "full-edition chapter reads created this run."
        )
        past = training.get("past_years") or {}
        if past:
            self.stdout.write(
                "Past fiscal years for the trend: "
                + ", ".join(f"FY{year} {done} completed" for year, done in sorted(past.items()))
                + "."
            )
        self.stdout.write(
            f"Surveys: {surveys['responses']} questionnaire answers and "
            f"{surveys['assessments']} digital-maturity assessments created this run."
        )
        self.stdout.write(
            f"Site address (SITE_URL, also Wagtail's default site): {settings.SITE_URL}"
        )
        self.stdout.write("")
        self.stdout.write("Demo accounts (sign in with the employee number or the e-mail):")
        rows = [
            [a["role"], a["employee_number"], a["email"], a["password"], a["unit"]]
            for a in result["accounts"]
        ]
        header = ["role", "employee no.", "e-mail", "password", "unit"]
        for line in _table(header, rows):
            self.stdout.write(line.rstrip())
        if not (created["people"] or created["units"]):
            self.stdout.write(
                self.style.WARNING(
                    "Nothing new was created; accounts that already existed keep the "
                    "password they have now."
                )
            )
