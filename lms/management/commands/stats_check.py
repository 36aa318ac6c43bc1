"""Prove the per-unit figures equal a recount of the raw enrollments (exit 1 if not)."""

from django.core.management.base import BaseCommand, CommandError

from lms.completion.figures import stats_differences


class Command(BaseCommand):
    help = "Compare UnitCourseStats with a recount of the enrollments; fail on any difference."

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", type=int, default=None)

    def handle(self, *args, fiscal_year=None, **options):
        differences = stats_differences(fiscal_year=fiscal_year)
        for difference in differences[:100]:
            unit_id, course_id, year = difference.key
            self.stderr.write(
                f"unit {unit_id} course {course_id} FY{year}: stored {difference.stored}, "
                f"recounted {difference.recounted}"
            )
        if differences:
            raise CommandError(f"{len(differences)} rows differ from the recount.")
        self.stdout.write(self.style.SUCCESS("The figures equal a recount."))
