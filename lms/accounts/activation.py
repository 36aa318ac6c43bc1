"""First sign-in without IT: one-time activation codes that HR prints and hands out.

A city with neither Entra ID nor a directory still has to get 800 imported people signed in,
many of them without an e-mail address. HR chooses a unit or pastes 職員番号
(``activation_audience``), checks who gets a slip, then issues the codes
(``activation_sheet_issue``) and prints them (``activation_sheet_pdf``): one A4 sheet per 課,
one slip per person with the sign-in address, the 職員番号 and an 8-character code. The
person opens the address, gives the number and the code (checked by
``lms.accounts.backends.ActivationCodeBackend`` through ``authenticate``, so django-axes
counts failures under the same lockout as passwords), and sets a password
(``activation_code_use``).

The rules:

- a code is 8 characters of ``CODE_ALPHABET`` (no 0/O, 1/I/L: read off paper), drawn with
  ``secrets``; only a salted PBKDF2 hash is stored, the plain code lives in memory until the
  PDF is made and then only on paper;
- it expires at the end of the ``ACTIVATION_CODE_DAYS``-th day after the issue (Japan
  time), and is used once: it is marked used when the password is set;
- issuing again revokes the person's open code, in the same transaction;
- only active people of the roster get codes, never anyone above HR (``org.access.above_hr``):
  a code sets the password, so HR must not hold one for an administrator;
- at most ``ACTIVATION_SHEET_MAX_PEOPLE`` people per issue;
- issuing, printing and using are audited (counts, never codes or numbers).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import AuditAction
from audit.services import record
from content.pdf import html_to_pdf
from core.dates import date_label
from core.links import absolute_url
from org import access
from org.models import OrgUnit, OrgUnitKind
from org.paths import ancestor_paths, nearest_in
from org.people import normalize_employee_number

from ..models import ActivationCode, ActivationIssue, User

#: Letters and digits that cannot be mistaken for one another on paper: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
#: 職員番号 one paste may hold; far above the sheet's cap, it bounds the work of a preview.
MAX_PASTED_NUMBERS = 5000


class ActivationCodeHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 with fewer rounds than passwords get (Django's 1,000,000 would make a
    sheet of 300 slips take minutes). A code has about 40 bits, expires in two weeks and is
    checked against one stored hash per attempt, with attempts throttled by axes."""

    iterations = 60_000  # about 20 ms a code on the 2-core development machine


_hasher = ActivationCodeHasher()


class ActivationError(Exception):
    """The codes cannot be issued as asked; the message says why, for HR."""


# --- codes -----------------------------------------------------------------------------------


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(value: str) -> str:
    """What the person typed, as issued: full-width and lower case folded, spaces and
    hyphens dropped (the slip prints the code in two groups of four)."""
    text = unicodedata.normalize("NFKC", value or "").upper()
    return re.sub(r"[\s\-‐－ー]", "", text)


def code_groups(code: str) -> list[str]:
    """The code as printed: two groups of four."""
    return [code[:4], code[4:]]


def _hash(code: str) -> str:
    return _hasher.encode(code, _hasher.salt())


def _expiry(issued_at: dt.datetime) -> dt.datetime:
    """The start of the day after the ``ACTIVATION_CODE_DAYS``-th day from the issue, Japan
    time: the slip can then say 「12月19日まで」 and mean the whole of that day."""
    last_day = timezone.localdate(issued_at) + dt.timedelta(days=settings.ACTIVATION_CODE_DAYS)
    return timezone.make_aware(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time()))


def last_valid_day(code_or_expiry: ActivationCode | dt.datetime) -> dt.date:
    """The last day a code is good on (the day before its expiry instant, local time)."""
    expires_at = getattr(code_or_expiry, "expires_at", code_or_expiry)
    return timezone.localdate(expires_at - dt.timedelta(microseconds=1))


# --- who gets a slip -------------------------------------------------------------------------


def parse_employee_numbers(text: str) -> list[str]:
    """職員番号 pasted from a spreadsheet or typed: separated by lines, spaces, tabs, commas
    or 「、」; normalised as the roster import spells them; duplicates dropped, order kept."""
    parts = re.split(r"[\s,、，;；]+", unicodedata.normalize("NFKC", text or ""))
    numbers = (normalize_employee_number(part) for part in parts if part.strip())
    return list(dict.fromkeys(number for number in numbers if number))


@dataclass(frozen=True)
class SlipGroup:
    """The people of one 課 (or of a unit with no 課 above it): one sheet of the PDF."""

    heading: str
    people: list[User]


@dataclass
class Audience:
    """Who would get a slip: active people of the roster, by 課; numbers that matched nobody
    who may get one (``unknown``), and people left out because their rights go beyond HR's
    (``above_hr``, numbers only)."""

    unit: OrgUnit | None
    people: list[User]
    unknown: list[str] = field(default_factory=list)
    above_hr: list[str] = field(default_factory=list)
    groups: list[SlipGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.people)

    @property
    def over_limit(self) -> bool:
        return self.count > settings.ACTIVATION_SHEET_MAX_PEOPLE


def _roster_people() -> QuerySet[User]:
    return User.objects.filter(from_roster=True, is_active=True)


def _groups(people: list[User]) -> list[SlipGroup]:
    """People under the heading of their 課 (「総務部 人事課」), in tree order; someone in a
    部 with no 課 is under the 部, someone without a unit last. One query."""
    wanted = {
        path for person in people if person.unit_id for path in ancestor_paths(person.unit.path)
    }
    units = {
        path: (name, kind)
        for path, name, kind in OrgUnit.objects.filter(path__in=wanted).values_list(
            "path", "name", "kind"
        )
    }
    sections = {path: path for path, (_name, kind) in units.items() if kind == OrgUnitKind.SECTION}
    by_path: dict[str, list[User]] = defaultdict(list)
    for person in people:
        if person.unit_id is None:
            by_path["~"].append(person)  # after every path
            continue
        by_path[nearest_in(person.unit.path, sections) or person.unit.path].append(person)
    groups = []
    for path in sorted(by_path):
        heading = (
            " ".join(units[p][0] for p in ancestor_paths(path) if p in units)
            if path != "~"
            else _("No unit")
        )
        groups.append(SlipGroup(heading=heading, people=sorted(by_path[path], key=_person_order)))
    return groups


def _person_order(person: User) -> tuple:
    return (person.unit.path if person.unit_id else "~", person.kana, person.employee_number)


def activation_audience(
    *, actor: User, unit: OrgUnit | None = None, employee_numbers: list[str] | None = None
) -> Audience:
    """The active roster people of ``unit``'s subtree, or of the pasted ``employee_numbers``
    (normalised here too), grouped by 課. Numbers that match no active roster person are
    listed back in ``unknown``; people above HR are left out and listed in ``above_hr``.
    Four queries (one of them the permission check), whatever the number of people. HR only."""
    access.require(access.can_issue_activation_codes(actor))
    if (unit is None) == (employee_numbers is None):
        raise ValueError("Give either a unit or a list of employee numbers.")
    candidates = _roster_people().select_related("unit")
    numbers: list[str] = []
    if unit is not None:
        candidates = candidates.filter(unit__path__startswith=unit.path)
    else:
        numbers = [normalize_employee_number(n) for n in employee_numbers or []]
        numbers = list(dict.fromkeys(n for n in numbers if n))
        if len(numbers) > MAX_PASTED_NUMBERS:
            raise ActivationError(
                _("Paste at most %(limit)d employee numbers at a time.")
                % {"limit": MAX_PASTED_NUMBERS}
            )
        candidates = candidates.filter(employee_number__in=numbers)
    # One query: whether each candidate's rights go beyond HR's, beside the person.
    above = set(candidates.filter(access.above_hr()).values_list("pk", flat=True).order_by())
    found = list(candidates)
    people = [person for person in found if person.pk not in above]
    found_numbers = {person.employee_number for person in found}
    return Audience(
        unit=unit,
        people=sorted(people, key=_person_order),
        unknown=[number for number in numbers if number not in found_numbers],
        above_hr=sorted(person.employee_number for person in found if person.pk in above),
        groups=_groups(people),
    )


# --- issuing and printing --------------------------------------------------------------------


@dataclass(frozen=True)
class Slip:
    """One person's slip: what the PDF prints. ``code`` is the plain code, never stored."""

    person: User
    code: str

    @property
    def code_groups(self) -> list[str]:
        return code_groups(self.code)


@dataclass
class ActivationSheet:
    """What an issue returns for the PDF: the issue, the slips by 課, the address to open and
    the last day the codes are good."""

    issue: ActivationIssue
    groups: list[tuple[str, list[Slip]]]
    sign_in_url: str
    last_day: dt.date

    @property
    def slips(self) -> list[Slip]:
        return [slip for _heading, slips in self.groups for slip in slips]


def activation_sheet_issue(
    *,
    actor: User,
    unit: OrgUnit | None = None,
    employee_numbers: list[str] | None = None,
    expected_count: int | None = None,
) -> ActivationSheet:
    """Issue one code to each person of the audience (see ``activation_audience``), revoking
    their open codes, in one transaction; audited as ``ACTIVATION_ISSUED`` with counts only.

    ``expected_count`` is the number HR saw on the preview: if the audience has changed since
    (a roster import in between), nothing is issued and HR is asked to check again. Raises
    ``ActivationError`` for an empty audience or one above ``ACTIVATION_SHEET_MAX_PEOPLE``.
    The plain codes are only in the returned sheet.
    """
    audience = activation_audience(actor=actor, unit=unit, employee_numbers=employee_numbers)
    if not audience.people:
        raise ActivationError(_("Nobody on the roster gets a slip from this choice."))
    if audience.over_limit:
        raise ActivationError(
            ngettext(
                "%(count)d people chosen: at most %(limit)d person per sheet. Choose a "
                "smaller unit or fewer employee numbers.",
                "%(count)d people chosen: at most %(limit)d people per sheet. Choose a "
                "smaller unit or fewer employee numbers.",
                settings.ACTIVATION_SHEET_MAX_PEOPLE,
            )
            % {"count": audience.count, "limit": settings.ACTIVATION_SHEET_MAX_PEOPLE}
        )
    if expected_count is not None and expected_count != audience.count:
        raise ActivationError(
            _(
                "The list has changed since you checked it (%(before)d people then, %(now)d "
                "now). Check it again before issuing."
            )
            % {"before": expected_count, "now": audience.count}
        )
    now = timezone.now()
    expires_at = _expiry(now)
    ids = sorted(person.pk for person in audience.people)
    with transaction.atomic():
        # Locks the people in a fixed order: two HR staff issuing for the same people at once
        # then take turns, and the second revokes the first's codes instead of colliding.
        list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
        revoked = ActivationCode.objects.filter(
            user_id__in=ids, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        issue = ActivationIssue.objects.create(
            issued_by=actor, issued_at=now, unit=unit, people_count=len(ids)
        )
        plain = {person.pk: new_code() for person in audience.people}
        ActivationCode.objects.bulk_create(
            ActivationCode(
                issue=issue, user=person, code_hash=_hash(plain[person.pk]), expires_at=expires_at
            )
            for person in audience.people
        )
        record(
            action=AuditAction.ACTIVATION_ISSUED,
            actor=actor,
            target=issue,
            unit=unit,
            details={"issued": len(ids), "revoked": revoked, "unknown": len(audience.unknown)},
        )
    return ActivationSheet(
        issue=issue,
        groups=[
            (group.heading, [Slip(person=p, code=plain[p.pk]) for p in group.people])
            for group in audience.groups
        ],
        sign_in_url=absolute_url(reverse("lms:activate")),
        last_day=last_valid_day(expires_at),
    )


#: Slips on one A4 sheet (two columns of four, cut along the dashed lines).
SLIPS_PER_PAGE = 8


def activation_sheet_pdf(*, actor: User, sheet: ActivationSheet) -> bytes:
    """The sheet as a PDF: for each 課 its own A4 pages, eight slips to a page with cut lines;
    audited as ``ACTIVATION_PRINTED``. Rendered in Japanese whatever the screen's language:
    the slips go to staff on paper."""
    access.require(access.can_issue_activation_codes(actor))
    pages = []
    for heading, slips in sheet.groups:
        chunks = [slips[i : i + SLIPS_PER_PAGE] for i in range(0, len(slips), SLIPS_PER_PAGE)]
        for number, chunk in enumerate(chunks, start=1):
            rows = [chunk[i : i + 2] for i in range(0, len(chunk), 2)]
            pages.append({"heading": heading, "rows": rows, "number": number, "of": len(chunks)})
    with translation.override("ja"):
        html = render_to_string(
            "lms/activation_slips_pdf.html",
            {
                "pages": pages,
                "sheet": sheet,
                "sign_in_url": sheet.sign_in_url,
                "last_day": date_label(sheet.last_day, "ja"),
                "contact": settings.TRAINING_CONTACT,
            },
        )
    document = html_to_pdf(html)
    record(
        action=AuditAction.ACTIVATION_PRINTED,
        actor=actor,
        target=sheet.issue,
        unit=sheet.issue.unit_id,
        details={"printed": len(sheet.slips)},
    )
    return document


# --- HR's list -------------------------------------------------------------------------------


def activation_issue_list() -> QuerySet[ActivationIssue]:
    """Issues, newest first, with who issued them, the unit, and how many of their codes were
    used and replaced: one query per page."""
    return (
        ActivationIssue.objects.select_related("issued_by", "unit")
        .annotate(
            used=Count("codes", filter=Q(codes__used_at__isnull=False)),
            revoked=Count("codes", filter=Q(codes__revoked_at__isnull=False)),
        )
        # Stated again: Django drops Meta.ordering from queries that aggregate.
        .order_by("-issued_at", "-pk")
    )


# --- the person's side -----------------------------------------------------------------------


def activation_code_check(*, employee_number: str, code: str) -> ActivationCode | None:
    """The usable code ``code`` of the active roster person numbered ``employee_number``, or
    ``None``; the hash is computed once either way, so the time taken does not tell whether
    the number exists or has a code."""
    number = normalize_employee_number(employee_number or "")
    typed = normalize_code(code)
    candidate = (
        ActivationCode.objects.select_related("user", "user__unit")
        .filter(
            user__employee_number=number,
            user__is_active=True,
            user__from_roster=True,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
        if number and typed
        else None
    )
    if candidate is None:
        _hasher.encode(typed or "-", _hasher.salt())  # the same work as a real check
        return None
    if not _hasher.verify(typed, candidate.code_hash):
        return None
    # Rights granted after the issue count too: a code never sets an administrator's password.
    if access.is_above_hr(candidate.user):
        return None
    return candidate


class ActivationCodeUnusable(Exception):
    """The code was used, revoked or has expired since it was checked, or the person left."""


def activation_code_use(*, code_id: int, user: User, password: str) -> User:
    """The person proved the code (``activation_code_check``) and chose ``password`` (already
    validated against ``AUTH_PASSWORD_VALIDATORS`` by the form): set it and mark the code
    used, once, in one transaction; audited as ``ACTIVATION_USED``. Raises
    ``ActivationCodeUnusable`` if the code is no longer good."""
    with transaction.atomic():
        code = (
            ActivationCode.objects.select_for_update()
            .select_related("user", "issue")
            .filter(pk=code_id, user_id=user.pk)
            .first()
        )
        if (
            code is None
            or not code.is_usable()
            or not code.user.is_active
            or not code.user.from_roster
            or access.is_above_hr(code.user)
        ):
            raise ActivationCodeUnusable
        person = code.user
        person.set_password(password)
        person.save(update_fields=["password"])
        code.used_at = timezone.now()
        code.save(update_fields=["used_at"])
        record(
            action=AuditAction.ACTIVATION_USED,
            actor=person,
            target=code.issue,
            unit=person.unit_id,
            details={"source": "activation"},
        )
    return person
