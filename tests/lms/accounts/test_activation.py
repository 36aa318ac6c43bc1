"""Activation codes, the services: who gets a slip, issuing (cap, reissue, hashing, audit),
expiry and single use (``lms.accounts.activation``)."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from audit.presentation import audit_event_rows
from lms.accounts.activation import (
    CODE_ALPHABET,
    ActivationCodeUnusable,
    ActivationError,
    activation_audience,
    activation_code_check,
    activation_code_use,
    activation_issue_list,
    activation_sheet_issue,
    activation_sheet_pdf,
    normalize_code,
    parse_employee_numbers,
)
from lms.models import ActivationCode, ActivationIssue
from org.models import RoleGroup
from org.people import Position
from tests.factories import DxProAssignmentFactory, UserFactory

from .activation_city import make_activation_city, roster_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return make_activation_city()


def codes_of(sheet) -> dict[str, str]:
    return {slip.person.employee_number: slip.code for slip in sheet.slips}


# --- who gets a slip --------------------------------------------------------------------------


def test_audience_of_a_unit_is_its_active_roster_people_by_section(city):
    audience = activation_audience(actor=city["hr"], unit=city["tree"]["soumu"])
    assert {p.employee_number for p in audience.people} == {"1000001", "1000002", "1000003"}
    assert [(g.heading, [p.employee_number for p in g.people]) for g in audience.groups] == [
        ("総務部 人事課", ["1000001", "1000002"]),
        ("総務部 情報政策課", ["1000003"]),
    ]
    # A section: its 係 and the people in the 課 itself; not those who left or came otherwise.
    audience = activation_audience(actor=city["hr"], unit=city["tree"]["shimin_ka"])
    assert [p.employee_number for p in audience.people] == ["1000005", "1000004"]
    assert [g.heading for g in audience.groups] == ["市民部 市民課"]


def test_audience_of_pasted_numbers_normalises_and_lists_the_unknown(city):
    numbers = parse_employee_numbers("１０００００１\n1000004, 1000006、1000007\t9999999 1000001")
    assert numbers == ["1000001", "1000004", "1000006", "1000007", "9999999"]
    audience = activation_audience(actor=city["hr"], employee_numbers=numbers)
    assert {p.employee_number for p in audience.people} == {"1000001", "1000004"}
    # Left, not from the roster, never heard of: one list, in the order pasted.
    assert audience.unknown == ["1000006", "1000007", "9999999"]
    assert [g.heading for g in audience.groups] == ["総務部 人事課", "市民部 市民課"]


def test_audience_leaves_out_people_above_hr(city):
    admin = roster_person("1000008", city["tree"]["madoguchi"], is_superuser=True)
    django_admin = roster_person("1000009", city["tree"]["madoguchi"], is_staff=True)
    audience = activation_audience(actor=city["hr"], unit=city["tree"]["shimin_bu"])
    numbers = {p.employee_number for p in audience.people}
    assert admin.employee_number not in numbers and django_admin.employee_number not in numbers
    assert audience.above_hr == ["1000008", "1000009"]
    with pytest.raises(ActivationError):
        activation_sheet_issue(actor=city["hr"], employee_numbers=["1000008"])


def test_audience_costs_four_queries_whatever_its_size(city, django_assert_num_queries):
    """HR's groups, who is above HR, the people, the units above them."""
    for n in range(30):
        roster_person(f"20000{n:02d}", city["tree"]["madoguchi"])
    with django_assert_num_queries(4):
        audience = activation_audience(actor=city["hr"], unit=city["tree"]["shimin_bu"])
    assert audience.count == 32


@pytest.mark.parametrize("who", ["staff", "dx_pro", "manager", "editor", "inactive_hr"])
def test_only_hr_may_choose_issue_or_print(city, who):
    tree = city["tree"]
    actor = {
        "staff": lambda: city["madoguchi_1"],
        "dx_pro": lambda: DxProAssignmentFactory(unit=tree["shimin_ka"]).user,
        "manager": lambda: UserFactory(unit=tree["shimin_ka"], position=Position.SECTION_CHIEF),
        "editor": lambda: UserFactory(groups=[RoleGroup.EDITORS]),
        "inactive_hr": lambda: UserFactory(groups=[RoleGroup.HR], is_active=False),
    }[who]()
    with pytest.raises(PermissionDenied):
        activation_audience(actor=actor, unit=tree["shimin_ka"])
    with pytest.raises(PermissionDenied):
        activation_sheet_issue(actor=actor, unit=tree["shimin_ka"])
    sheet = activation_sheet_issue(actor=city["hr"], unit=tree["shimin_ka"])
    with pytest.raises(PermissionDenied):
        activation_sheet_pdf(actor=actor, sheet=sheet)
    assert ActivationIssue.objects.count() == 1


# --- issuing ----------------------------------------------------------------------------------


def test_codes_are_eight_unambiguous_characters_and_stored_hashed(city):
    sheet = activation_sheet_issue(actor=city["hr"], unit=city["tree"]["soumu"])
    codes = codes_of(sheet)
    assert len(codes) == 3 and len(set(codes.values())) == 3
    for code in codes.values():
        assert len(code) == 8 and set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("0O1IL")
    hashes = list(ActivationCode.objects.values_list("code_hash", flat=True))
    assert all(h.startswith("pbkdf2_sha256$60000$") for h in hashes)
    assert len({h.split("$")[2] for h in hashes}) == 3  # a salt of its own per code

    # The plain codes are nowhere in the database: not in the codes, the issue, the audit log.
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    text = dump.getvalue()
    assert "pbkdf2_sha256$60000$" in text  # the dump does hold the codes' rows
    for code in codes.values():
        assert code not in text
        assert code.lower() not in text.lower()
    with connection.cursor() as cursor:
        cursor.execute("SELECT code_hash FROM lms_activationcode")
        assert all(code not in row[0] for row in cursor.fetchall() for code in codes.values())


def test_issue_is_refused_above_the_cap_and_changes_nothing(city, settings):
    settings.ACTIVATION_SHEET_MAX_PEOPLE = 2
    with pytest.raises(ActivationError) as refused:
        activation_sheet_issue(actor=city["hr"], unit=city["tree"]["soumu"])
    message = str(refused.value)
    assert "3" in message and "2" in message
    assert not ActivationIssue.objects.exists() and not ActivationCode.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ACTIVATION_ISSUED).exists()


def test_issue_is_refused_when_the_list_changed_since_the_preview(city):
    with pytest.raises(ActivationError):
        activation_sheet_issue(actor=city["hr"], unit=city["tree"]["soumu"], expected_count=2)
    assert not ActivationCode.objects.exists()
    sheet = activation_sheet_issue(actor=city["hr"], unit=city["tree"]["soumu"], expected_count=3)
    assert len(sheet.slips) == 3


def test_issue_for_nobody_is_refused(city):
    with pytest.raises(ActivationError):
        activation_sheet_issue(actor=city["hr"], employee_numbers=["9999999"])


def test_issuing_again_revokes_the_open_code(city):
    first = codes_of(activation_sheet_issue(actor=city["hr"], employee_numbers=["1000001"]))
    second = codes_of(
        activation_sheet_issue(actor=city["hr"], employee_numbers=["1000001", "1000002"])
    )
    assert activation_code_check(employee_number="1000001", code=first["1000001"]) is None
    assert activation_code_check(employee_number="1000001", code=second["1000001"]) is not None
    person = city["jinji_1"]
    assert person.activation_codes.filter(revoked_at__isnull=False).count() == 1
    assert person.activation_codes.filter(revoked_at__isnull=True).count() == 1
    details = AuditEvent.objects.filter(action=AuditAction.ACTIVATION_ISSUED).first().details
    assert details == {"issued": 2, "revoked": 1, "unknown": 0}
    issues = list(activation_issue_list())
    assert [(i.people_count, i.used, i.revoked) for i in issues] == [(2, 0, 0), (1, 0, 1)]


# --- using a code -----------------------------------------------------------------------------


def test_a_code_is_good_through_the_fourteenth_day_and_not_after(city):
    issued = timezone.make_aware(dt.datetime(2026, 12, 5, 14, 0))
    with mock.patch("django.utils.timezone.now", return_value=issued):
        sheet = activation_sheet_issue(actor=city["hr"], employee_numbers=["1000001"])
    code = codes_of(sheet)["1000001"]
    assert sheet.last_day == dt.date(2026, 12, 19)
    last_moment = timezone.make_aware(dt.datetime(2026, 12, 19, 23, 59, 59))
    with mock.patch("django.utils.timezone.now", return_value=last_moment):
        assert activation_code_check(employee_number="1000001", code=code) is not None
    next_day = timezone.make_aware(dt.datetime(2026, 12, 20, 0, 0))
    with mock.patch("django.utils.timezone.now", return_value=next_day):
        assert activation_code_check(employee_number="1000001", code=code) is None
    # And a code checked in time but used after the expiry is refused at use.
    checked = activation_code_check(employee_number="1000001", code=code)
    with (
        mock.patch("django.utils.timezone.now", return_value=next_day),
        pytest.raises(ActivationCodeUnusable),
    ):
        activation_code_use(code_id=checked.pk, user=checked.user, password="a-long-passphrase")


def test_typed_codes_are_forgiven_width_case_and_spacing(city):
    code = codes_of(activation_sheet_issue(actor=city["hr"], employee_numbers=["1000001"]))[
        "1000001"
    ]
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    spaced, hyphenated = f"{code[:4]} {code[4:]}", f"{code[:4]}-{code[4:]}"
    for typed in (code, code.lower(), spaced, hyphenated, full_width):
        assert normalize_code(typed) == code
        assert activation_code_check(employee_number="１０００００１", code=typed) is not None


def test_a_code_is_used_once_and_sets_the_password(city):
    code = codes_of(activation_sheet_issue(actor=city["hr"], employee_numbers=["1000004"]))[
        "1000004"
    ]
    checked = activation_code_check(employee_number="1000004", code=code)
    person = activation_code_use(code_id=checked.pk, user=checked.user, password="kumo-no-ue-77")
    person.refresh_from_db()
    assert person.check_password("kumo-no-ue-77")
    assert activation_code_check(employee_number="1000004", code=code) is None
    with pytest.raises(ActivationCodeUnusable):
        activation_code_use(code_id=checked.pk, user=checked.user, password="another-one-88")
    person.refresh_from_db()
    assert person.check_password("kumo-no-ue-77")
    assert [(i.used, i.revoked) for i in activation_issue_list()] == [(1, 0)]


def test_a_code_does_not_work_for_someone_else_or_after_leaving(city):
    codes = codes_of(activation_sheet_issue(actor=city["hr"], unit=city["tree"]["soumu"]))
    assert activation_code_check(employee_number="1000002", code=codes["1000001"]) is None
    assert activation_code_check(employee_number="", code=codes["1000001"]) is None
    city["jinji_1"].is_active = False
    city["jinji_1"].save()
    assert activation_code_check(employee_number="1000001", code=codes["1000001"]) is None


def test_rights_granted_after_the_issue_stop_the_code(city):
    code = codes_of(activation_sheet_issue(actor=city["hr"], employee_numbers=["1000001"]))[
        "1000001"
    ]
    checked = activation_code_check(employee_number="1000001", code=code)
    city["jinji_1"].is_superuser = True
    city["jinji_1"].save()
    assert activation_code_check(employee_number="1000001", code=code) is None
    with pytest.raises(ActivationCodeUnusable):
        activation_code_use(code_id=checked.pk, user=checked.user, password="kumo-no-ue-77")


# --- the audit log ----------------------------------------------------------------------------


def test_issuing_printing_and_using_are_audited_without_codes(city):
    sheet = activation_sheet_issue(actor=city["hr"], unit=city["tree"]["shimin_ka"])
    activation_sheet_pdf(actor=city["hr"], sheet=sheet)
    code = codes_of(sheet)["1000004"]
    checked = activation_code_check(employee_number="1000004", code=code)
    activation_code_use(code_id=checked.pk, user=checked.user, password="kumo-no-ue-77")

    events = {e.action: e for e in AuditEvent.objects.all()}
    issued = events[AuditAction.ACTIVATION_ISSUED]
    assert issued.actor == city["hr"] and issued.unit_id == city["tree"]["shimin_ka"].pk
    assert issued.details == {"issued": 2, "revoked": 0, "unknown": 0}
    assert events[AuditAction.ACTIVATION_PRINTED].details == {"printed": 2}
    used = events[AuditAction.ACTIVATION_USED]
    assert used.actor == city["madoguchi_1"] and used.details == {"source": "activation"}
    assert used.target_id == str(sheet.issue.pk)
    for event in events.values():
        assert all(c not in str(event.details) for c in codes_of(sheet).values())

    rows = {row.event.action: row for row in audit_event_rows(list(events.values()))}
    assert rows[AuditAction.ACTIVATION_ISSUED].details == [
        "発行したコード 2",
        "置き換えた前のコード 0",
        "名簿にない職員番号 0",
    ]
    assert rows[AuditAction.ACTIVATION_PRINTED].details == ["印刷した票 2"]
    assert rows[AuditAction.ACTIVATION_USED].details == ["経路：初回サインインコード"]
    assert rows[AuditAction.ACTIVATION_ISSUED].target == "有効化コードの票：市民課（2人）"
