"""Every model change comes with its migration."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_migration_is_missing(settings, capsys):
    # pytest runs with --no-migrations, which hides every app's migrations from the loader;
    # put them back so makemigrations compares the models with the real migration files.
    settings.MIGRATION_MODULES = {}
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    except SystemExit:
        pytest.fail(f"A migration is missing; run makemigrations:\n{capsys.readouterr().out}")
