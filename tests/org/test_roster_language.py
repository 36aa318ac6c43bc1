"""The roster's optional 言語 column: the starting language of people's notices, which
never replaces a language a person has, nor touches an account above HR."""

import pytest

from lms.models import User
from org.models import RosterImport

from .roster_files import csv_bytes, roster_line
from .test_roster_services import BASE, _english, _protected_people, run  # noqa: F401

pytestmark = pytest.mark.django_db
Status = RosterImport.Status


def test_the_language_column_starts_a_persons_language_and_never_replaces_it():
    lines = [
        roster_line("0001", 言語="英語"),
        roster_line("0002", 言語="ＥＮ"),
        roster_line("0003", 言語=""),
    ]
    result = run(csv_bytes(lines))
    assert result.status == Status.APPLIED, result.errors
    languages = dict(User.objects.values_list("employee_number", "language"))
    assert languages == {"0001": "en", "0002": "en", "0003": ""}
    # Someone who has chosen Japanese keeps it; someone without a language gets the file's.
    User.objects.filter(employee_number="0001").update(language="ja")
    again = [roster_line("0001", 言語="英語"), roster_line("0002"), roster_line("0003", 言語="en")]
    result = run(csv_bytes(again))
    assert (result.updated_count, result.unchanged_count) == (1, 2), result.errors
    languages = dict(User.objects.values_list("employee_number", "language"))
    assert languages == {"0001": "ja", "0002": "en", "0003": "en"}
    # Without the column, nothing is said about languages.
    assert run(csv_bytes(BASE)).status == Status.APPLIED
    assert dict(User.objects.values_list("employee_number", "language"))["0002"] == "en"


def test_an_unknown_language_is_a_line_error():
    result = run(csv_bytes([roster_line("0001", 言語="フランス語")]))
    assert result.status == Status.INVALID
    assert [(e["line"], e["column"]) for e in result.errors] == [(2, "言語")]
    assert "Unknown language" in result.errors[0]["message"]


def test_the_language_column_never_touches_someone_above_hr():
    _protected_people()
    lines = [{**BASE[0], "言語": "英語"}]  # the administrator's line as it is, and a language
    result = run(csv_bytes(lines), full_roster=False)
    assert result.status == Status.APPLIED, result.errors
    assert result.unchanged_count == 1
    assert User.objects.get(employee_number="0001").language == ""
