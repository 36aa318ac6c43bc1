"""Every model change comes with its migration."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_migration_is_missing(settings, capsys):
    # Under `pytest --no-migrations` every app's migrations are hidden from the loader, and
    # makemigrations would find nothing to compare; put them back.
    settings.MIGRATION_MODULES = {}
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    except SystemExit:
        pytest.fail(f"A migration is missing; run makemigrations:\n{capsys.readouterr().out}")
