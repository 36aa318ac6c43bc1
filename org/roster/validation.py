"""Checking each line of the roster on its own and against the other lines of the file.

Everything here works on the parsed cells only (no database): a line becomes a ``RosterRow``
or one or more ``RowError``. Checks that need the database (an e-mail address held by someone
not in the file, a unit code that sits elsewhere in the tree) live in ``planning``.

Position values: HR systems use more titles than our ``Position`` choices. The mapping below
folds the common ones onto the nearest level: 主査 and 主幹 are 係長級 and 課長補佐級 in most
cities' pay grades, so they map to unit chief and assistant section chief; 主事補/技師補 are
clerks and engineers; 室長 heads a 室, which sits where a 課 does. Anything else is an error
on the line, so a typo never silently becomes "other" (write その他/other for that).
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from ..people import EmploymentType, Position, normalize_employee_number
from .dates import RosterDateError, parse_roster_date
from .parsing import CANONICAL_HEADERS, ParsedRoster, normalize_header

POSITION_VALUES: dict[str, str] = {
    "局長": Position.DIRECTOR_GENERAL,
    "部長": Position.DIRECTOR,
    "次長": Position.DEPUTY_DIRECTOR,
    "副部長": Position.DEPUTY_DIRECTOR,
    "課長": Position.SECTION_CHIEF,
    "室長": Position.SECTION_CHIEF,
    "課長補佐": Position.ASSISTANT_CHIEF,
    "主幹": Position.ASSISTANT_CHIEF,
    "係長": Position.UNIT_CHIEF,
    "主査": Position.UNIT_CHIEF,
    "主任": Position.SENIOR_STAFF,
    "主事": Position.CLERK,
    "主事補": Position.CLERK,
    "技師": Position.ENGINEER,
    "技師補": Position.ENGINEER,
    "その他": Position.OTHER,
}
POSITION_VALUES.update({normalize_header(value): value for value in Position.values})

EMPLOYMENT_TYPE_VALUES: dict[str, str] = {
    "正規": EmploymentType.REGULAR,
    "正規職員": EmploymentType.REGULAR,
    "正職員": EmploymentType.REGULAR,
    "再任用": EmploymentType.REAPPOINTED,
    "再任用職員": EmploymentType.REAPPOINTED,
    "会計年度任用": EmploymentType.FIXED_TERM,
    "会計年度任用職員": EmploymentType.FIXED_TERM,
    "会計年度": EmploymentType.FIXED_TERM,
    "fixedterm": EmploymentType.FIXED_TERM,
}
EMPLOYMENT_TYPE_VALUES.update({normalize_header(value): value for value in EmploymentType.values})

DX_PRO_TRUE = frozenset(
    {"1", "○", "〇", "◯", "●", "はい", "true", "yes", "y", "有", "あり", "dxpro"}
)
DX_PRO_FALSE = frozenset({"", "0", "×", "✕", "いいえ", "false", "no", "n", "無", "なし", "-"})
#: The 言語 column, after ``normalize_header``: the two languages notices are written in.
LANGUAGES = {
    **dict.fromkeys(("日本語", "ja", "japanese", "jp", "にほんご"), "ja"),
    **dict.fromkeys(("英語", "en", "english", "えいご"), "en"),
}

MAX_EMPLOYEE_NUMBER = 32
MAX_NAME = 100
MAX_CODE = 32

_validate_email = EmailValidator()
# A strict subset of what EmailValidator accepts (dot-atom local part, LDH labels, a letter
# TLD), checked first because 100,000 addresses through the full validator take a while.
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z"
)
_PLAIN_LOCAL = re.compile(r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*\Z")
# Unit codes repeat on every line of a unit.
_normalize_code = functools.lru_cache(maxsize=8192)(normalize_employee_number)


def is_valid_email(email: str) -> bool:
    """Django's e-mail validator, with a fast path for the plain addresses of a roster."""
    if _PLAIN_EMAIL.match(email):
        return True
    try:
        _validate_email(email)
    except ValidationError:
        return False
    return True


class UnitCell(NamedTuple):
    """One level of a line's unit path as written: name and (maybe blank) HR code.

    A tuple, so the path of each line hashes in C when the units are looked up.
    """

    name: str
    code: str


@dataclass(slots=True)
class RosterRow:
    """A valid line: normalised values ready to compare with the database."""

    line: int
    employee_number: str
    display_name: str
    kana: str
    email: str
    position: str
    employment_type: str
    path: tuple[UnitCell, ...]
    dx_pro: bool
    joined_on: date | None = None
    #: "ja", "en", or "" (the column is blank or absent): the starting language of the
    #: person's notices, for someone who has not chosen one (``planning``).
    language: str = ""


@dataclass(slots=True, frozen=True)
class RowError:
    """One problem: the line number in the file, the column as headed there, a plain reason."""

    line: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


_UNIT_FIELDS = (
    ("department", "department_code"),
    ("section", "section_code"),
    ("unit", "unit_code"),
)


class LineChecker:
    """Turns parsed lines into rows, remembering what earlier lines used (duplicates).

    Written for speed (it runs on every line of a 100,000-line file, twice): cells are read
    by precomputed index, and the unit path of a line is looked up in a memo, since thousands
    of lines share each path.
    """

    def __init__(self, parsed: ParsedRoster) -> None:
        self.parsed = parsed
        self.width = max(parsed.columns.values()) + 1
        # A missing optional column reads the blank cell appended to every line (index -1).
        self.index = {name: parsed.columns.get(name, -1) for name in CANONICAL_HEADERS}
        self.unit_key = operator.itemgetter(
            *(i for name, code in _UNIT_FIELDS for i in (self.index[name], self.index[code]))
        )
        self.seen_numbers: dict[str, int] = {}
        self.seen_emails: dict[str, int] = {}
        self.paths: dict[tuple[str, ...], tuple[UnitCell, ...]] = {}
        self.email_domains: dict[str, bool] = {}

    def check(self, line: int, cells: list[str]) -> tuple[RosterRow | None, list[RowError]]:
        """Return the row, or None and the line's errors."""
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        cells = [*cells, ""]
        index = self.index
        header = self.parsed.header
        errors: list[RowError] = []

        def error(name: str, message: str) -> None:
            errors.append(RowError(line, header(name), message))

        number = normalize_employee_number(cells[index["employee_number"]])
        if not number:
            error("employee_number", _("The employee number is missing."))
        elif len(number) > MAX_EMPLOYEE_NUMBER:
            error("employee_number", _("The employee number is too long."))
        elif number in self.seen_numbers:
            error(
                "employee_number",
                _("Duplicate employee number: also on line %(line)d.")
                % {"line": self.seen_numbers[number]},
            )
        else:
            self.seen_numbers[number] = line

        name = cells[index["display_name"]]
        if not name:
            error("display_name", _("The name is missing."))
        elif len(name) > MAX_NAME:
            error("display_name", _("The name is too long."))
        kana = cells[index["kana"]]
        if len(kana) > MAX_NAME:
            error("kana", _("The name in kana is too long."))

        email = cells[index["email"]].lower()
        if email:
            if not self._email_ok(email):
                error("email", _("Invalid e-mail address."))
            elif email in self.seen_emails:
                error(
                    "email",
                    _("Duplicate e-mail address: also on line %(line)d.")
                    % {"line": self.seen_emails[email]},
                )
            else:
                self.seen_emails[email] = line

        position_text = cells[index["position"]]
        position = POSITION_VALUES.get(normalize_header(position_text))
        if position is None:
            if position_text:
                error("position", _("Unknown position: “%(value)s”.") % {"value": position_text})
            else:
                error("position", _("The position is missing."))

        employment_text = cells[index["employment_type"]]
        employment_type = EMPLOYMENT_TYPE_VALUES.get(normalize_header(employment_text))
        if employment_type is None:
            if employment_text:
                error(
                    "employment_type",
                    _("Unknown employment type: “%(value)s”.") % {"value": employment_text},
                )
            else:
                error("employment_type", _("The employment type is missing."))

        key = self.unit_key(cells)
        path = self.paths.get(key)
        if path is None:
            before = len(errors)
            path = self._unit_path(key, error)
            if len(errors) == before:
                self.paths[key] = path

        dx_text = normalize_header(cells[index["dx_pro"]])
        dx_pro = dx_text in DX_PRO_TRUE
        if not dx_pro and dx_text not in DX_PRO_FALSE:
            error(
                "dx_pro",
                _("Unknown DX PRO flag: “%(value)s” (use 1 or blank).")
                % {"value": cells[index["dx_pro"]]},
            )

        joined_on = None
        if joined_text := cells[index["joined_on"]]:
            try:
                joined_on = parse_roster_date(joined_text)
            except RosterDateError:
                error(
                    "joined_on",
                    _("Unknown date: “%(value)s” (write 2026-06-01, 2026/6/1 or 令和8年6月1日).")
                    % {"value": joined_text},
                )

        language = ""
        if language_text := cells[index["language"]]:
            language = LANGUAGES.get(normalize_header(language_text), "")
            if not language:
                error(
                    "language",
                    _("Unknown language: “%(value)s” (write 日本語 or 英語, or leave it blank).")
                    % {"value": language_text},
                )

        if errors:
            return None, errors
        return (
            RosterRow(
                line=line,
                employee_number=number,
                display_name=name,
                kana=kana,
                email=email,
                position=position,
                employment_type=employment_type,
                path=path,
                dx_pro=dx_pro,
                joined_on=joined_on,
                language=language,
            ),
            [],
        )

    def _email_ok(self, email: str) -> bool:
        # The domain is shared by everyone in a city: check it once.
        local, at, domain = email.rpartition("@")
        if not at or not _PLAIN_LOCAL.match(local):
            return is_valid_email(email)
        known = self.email_domains.get(domain)
        if known is None:
            known = self.email_domains[domain] = is_valid_email(f"a@{domain}")
        return known

    def _unit_path(self, key: tuple[str, ...], error) -> tuple[UnitCell, ...]:
        path: list[UnitCell] = []
        blank_above = ""
        for level, (name_field, code_field) in enumerate(_UNIT_FIELDS):
            name = key[2 * level]
            code = _normalize_code(key[2 * level + 1])
            if not name:
                if code:
                    error(name_field, _("A unit code is given but the unit name is missing."))
                if name_field == "department":
                    error("department", _("The department is missing."))
                    return ()
                blank_above = blank_above or name_field
                continue
            if blank_above:
                error(blank_above, _("The section is missing although a unit (係) is given."))
                return ()
            if len(name) > MAX_NAME:
                error(name_field, _("The unit name is too long."))
            if len(code) > MAX_CODE:
                error(code_field, _("The unit code is too long."))
            path.append(UnitCell(name=name, code=code))
        return tuple(path)
