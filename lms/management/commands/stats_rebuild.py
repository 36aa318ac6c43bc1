"""Rebuild the per-unit completion figures from the raw enrollments."""

from django.core.management.base import BaseCommand

from lms.completion.figures import stats_rebuild


class Command(BaseCommand):
    help = "Rebuild UnitCourseStats from the enrollments (one fiscal year, or all)."

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", type=int, default=None)

    def handle(self, *args, fiscal_year=None, **options):
        rows = stats_rebuild(fiscal_year=fiscal_year)
        self.stdout.write(self.style.SUCCESS(f"{rows} rows written."))
