"""``manage.py import_roster``: counts, error lines, exit status, dry run and partial."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from lms.models import User

from .roster_files import csv_bytes, roster_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(tmp_path):
    def write(lines, name="roster.csv"):
        path = tmp_path / name
        path.write_bytes(csv_bytes(lines, encoding="cp932"))
        return str(path)

    return write


def test_applies_and_prints_counts(roster, capsys):
    call_command("import_roster", roster([roster_line("0001"), roster_line("0002")]))
    out = capsys.readouterr().out
    assert "new: 2" in out and "Applied." in out
    assert User.objects.count() == 2


def test_dry_run_changes_nothing(roster, capsys):
    call_command("import_roster", roster([roster_line("0001")]), "--dry-run")
    assert "new: 1" in capsys.readouterr().out
    assert not User.objects.exists()


def test_partial_deactivates_nobody(roster, capsys):
    call_command("import_roster", roster([roster_line("0001"), roster_line("0002")]))
    call_command("import_roster", roster([roster_line("0001")]), "--partial")
    assert "deactivated: 0" in capsys.readouterr().out
    assert User.objects.filter(is_active=True).count() == 2


def test_errors_are_printed_per_line_and_exit_non_zero(roster, capsys):
    path = roster([roster_line("0001", position="宇宙飛行士"), roster_line("0002", email="x@")])
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_roster", path)
    err = capsys.readouterr().err
    assert "line 2, 職名: Unknown position" in err
    assert "line 3, メールアドレス: Invalid e-mail address." in err
    assert not User.objects.exists()
