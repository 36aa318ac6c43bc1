"""The roster import from upload to apply: counts, errors, units, idempotence, atomicity."""

from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.fiscal import current_fiscal_year
from core.queue import queued_tasks_send_lost
from lms.models import User
from org import tasks as org_tasks
from org.models import DxProAssignment, OrgUnit, RoleGroup, RosterImport
from org.people import EmploymentType, Position
from org.roster import processing, writing
from org.roster.selectors import roster_import_error_lines
from org.roster.services import (
    RosterImportError,
    roster_import_apply,
    roster_import_create,
    roster_import_schedule_apply,
    roster_import_validate,
)
from tests.factories.lms import OrgUnitFactory, UserFactory

from .roster_files import csv_bytes, roster_line

pytestmark = pytest.mark.django_db

Status = RosterImport.Status


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run(content: bytes, *, full_roster=True, apply=True, uploaded_by=None, name="r.csv"):
    roster_import = roster_import_create(
        uploaded_by=uploaded_by,
        file_name=name,
        content=content,
        full_roster=full_roster,
        enqueue=False,
    )
    roster_import = roster_import_validate(roster_import_id=roster_import.pk)
    if apply and roster_import.status == Status.PREVIEWED:
        roster_import = roster_import_apply(
            roster_import_id=roster_import.pk, confirm_deactivate=roster_import.deactivated_count
        )
    return roster_import


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        # The import's own record, the audit entry of its upload and the work queued after
        # any apply (the enrollments' sync, core.queue) are expected.
        and "lms_rosterimport" not in q["sql"]
        and "audit_auditevent" not in q["sql"]
        and "core_queuedtask" not in q["sql"]
    ]


BASE = [
    roster_line("0001", name="青木 一郎", position="部長", section="", unit=""),
    roster_line("0002", name="井上 花子", position="課長", unit=""),
    roster_line("0003", name="上田 次郎", position="主査", employment="会計年度任用職員"),
]


def test_new_people_units_and_values():
    result = run(csv_bytes(BASE, encoding="cp932"))
    assert result.status == Status.APPLIED, result.errors
    assert (result.created_count, result.updated_count, result.units_created_count) == (3, 0, 3)
    head = User.objects.get(employee_number="0001")
    assert head.unit.name == "総務部" and head.position == Position.DIRECTOR
    third = User.objects.get(employee_number="0003")
    assert third.unit.full_name() == "総務部 人事課 人事係"
    assert third.position == Position.UNIT_CHIEF
    assert third.employment_type == EmploymentType.FIXED_TERM
    assert not third.has_usable_password() and third.from_roster
    assert OrgUnit.find_problems() == ([], [], [], [], [])
    assert result.applied_at is not None


def test_preview_writes_nothing_but_the_record():
    result = run(csv_bytes(BASE), apply=False)
    assert result.status == Status.PREVIEWED
    assert result.created_count == 3 and result.units_created_count == 3
    assert not User.objects.exists() and not OrgUnit.objects.exists()


def test_reimport_of_the_same_file_writes_nothing():
    content = csv_bytes(BASE, encoding="cp932")
    run(content)
    with CaptureQueriesContext(connection) as queries:
        result = run(content)
    assert (result.created_count, result.updated_count, result.unchanged_count) == (0, 0, 3)
    assert writes(queries) == []


def test_full_width_and_spaces_match_existing_values():
    run(csv_bytes(BASE))
    again = [dict(line) for line in BASE]
    again[2]["職員番号"] = "０００３"
    again[2]["氏名"] = "上田　次郎 "
    again[2]["メールアドレス"] = "Ｓ0003@CITY.EXAMPLE.JP"
    result = run(csv_bytes(again, encoding="cp932"))
    assert (result.updated_count, result.unchanged_count) == (0, 3), result.errors


def test_changes_are_counted_and_written():
    run(csv_bytes(BASE))
    changed = [dict(line) for line in BASE]
    changed[2].update({"職名": "係長", "係": "給与係"})
    result = run(csv_bytes(changed))
    assert (result.updated_count, result.unchanged_count, result.units_created_count) == (1, 2, 1)
    assert User.objects.get(employee_number="0003").unit.name == "給与係"


def test_deactivation_and_reactivation(django_user_model):
    admin = django_user_model.objects.create_superuser("admin", display_name="admin")
    service = UserFactory(unit=None)
    uploader = UserFactory(unit=OrgUnitFactory.create(), from_roster=True, groups=[RoleGroup.HR])
    run(csv_bytes(BASE), uploaded_by=uploader)
    result = run(csv_bytes(BASE[:2]), uploaded_by=uploader)
    assert result.deactivated_count == 1
    gone = User.objects.get(employee_number="0003")
    assert not gone.is_active and gone.deactivated_at is not None
    for user in (admin, service, uploader):
        user.refresh_from_db()
        assert user.is_active
    back = run(csv_bytes(BASE), uploaded_by=uploader)
    assert back.updated_count == 1
    gone.refresh_from_db()
    assert gone.is_active and gone.deactivated_at is None


def test_partial_roster_deactivates_nobody():
    run(csv_bytes(BASE))
    result = run(csv_bytes(BASE[:1]), full_roster=False)
    assert result.deactivated_count == 0
    assert User.objects.filter(is_active=True).count() == 3


def test_units_matched_by_code_and_renamed():
    dept = OrgUnitFactory.create(name="総務部", code="D01")
    section = OrgUnitFactory.create(parent=dept, name="職員課", code="S01")
    lines = [roster_line("0001", unit="", 部コード="D01", 課コード="S01")]
    result = run(csv_bytes(lines))
    assert result.status == Status.APPLIED, result.errors
    assert (result.units_created_count, result.units_renamed_count) == (0, 1)
    section.refresh_from_db()
    assert section.name == "人事課"
    assert User.objects.get(employee_number="0001").unit_id == section.pk


def test_closed_units_are_not_matched():
    dept = OrgUnitFactory.create(name="総務部", code="D01")
    OrgUnitFactory.create(parent=dept, name="人事課", code="", valid_to="2020-03-31")
    result = run(csv_bytes([roster_line("0001", unit="")]))
    assert result.units_created_count == 1
    assert OrgUnit.objects.filter(name="人事課").count() == 2
    assert OrgUnit.find_problems() == ([], [], [], [], [])


def test_unit_code_under_another_parent_is_a_line_error():
    first = OrgUnitFactory.create(name="総務部", code="D01")
    OrgUnitFactory.create(name="市民部", code="D02")
    OrgUnitFactory.create(parent=first, name="人事課", code="S01")
    lines = [roster_line("0001", dept="市民部", unit="", 部コード="D02", 課コード="S01")]
    result = run(csv_bytes(lines))
    assert result.status == Status.INVALID
    assert result.errors[0]["column"] == "課コード"


def test_dx_pro_flag_appoints_for_the_section():
    lines = [
        roster_line("0001", **{"DX PRO": "○"}),
        roster_line("0002", unit="", **{"DX PRO": "1"}),
        roster_line("0003", **{"DX PRO": ""}),
    ]
    result = run(csv_bytes(lines, encoding="cp932"))
    assert result.status == Status.APPLIED, result.errors
    appointments = DxProAssignment.objects.filter(fiscal_year=current_fiscal_year())
    assert {(a.user.employee_number, a.unit.name) for a in appointments} == {
        ("0001", "人事課"),
        ("0002", "人事課"),
    }
    with CaptureQueriesContext(connection) as queries:
        run(csv_bytes(lines, encoding="cp932"))
    assert writes(queries) == []


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        ({"雇用区分": "アルバイト"}, "雇用区分", "Unknown employment type"),
        ({"職名": "宇宙飛行士"}, "職名", "Unknown position"),
        ({"メールアドレス": "not-an-address"}, "メールアドレス", "Invalid e-mail"),
        ({"氏名": ""}, "氏名", "name is missing"),
        ({"職員番号": "0001"}, "職員番号", "Duplicate employee number"),
        ({"メールアドレス": "s0001@city.example.jp"}, "メールアドレス", "Duplicate e-mail"),
        ({"課": "", "係": "人事係"}, "課", "section is missing"),
        ({"部": ""}, "部", "department is missing"),
    ],
)
def test_bad_lines_are_listed_and_nothing_changes(change, column, reason):
    lines = [roster_line("0001"), {**roster_line("0002"), **change}]
    result = run(csv_bytes(lines))
    assert result.status == Status.INVALID
    assert [(e["line"], e["column"]) for e in result.errors] == [(3, column)]
    assert reason in result.errors[0]["message"]
    assert not User.objects.exists() and not OrgUnit.objects.exists()
    with pytest.raises(RosterImportError):
        roster_import_apply(roster_import_id=result.pk)


def test_email_held_by_someone_outside_the_file_is_an_error():
    UserFactory(email="s0001@city.example.jp", employee_number="9999")
    result = run(csv_bytes([roster_line("0001")]))
    assert result.status == Status.INVALID
    assert "9999" in result.errors[0]["message"]


def test_email_swap_inside_the_file():
    run(csv_bytes(BASE))
    swapped = [dict(line) for line in BASE]
    swapped[1]["メールアドレス"], swapped[2]["メールアドレス"] = (
        BASE[2]["メールアドレス"],
        BASE[1]["メールアドレス"],
    )
    result = run(csv_bytes(swapped))
    assert result.status == Status.APPLIED and result.updated_count == 2
    assert User.objects.get(employee_number="0002").email == BASE[2]["メールアドレス"]


def test_whole_file_error_is_recorded():
    result = run(b"", name="empty.csv")
    assert result.status == Status.INVALID
    assert result.errors == [{"line": None, "column": "", "message": "The file is empty."}]


def test_failure_mid_apply_leaves_nothing_half_applied():
    roster_import = run(csv_bytes(BASE), apply=False)
    with (
        mock.patch.object(writing, "_write_dx_pro", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        roster_import_apply(roster_import_id=roster_import.pk)
    assert not User.objects.exists() and not OrgUnit.objects.exists()
    roster_import.refresh_from_db()
    assert roster_import.status == Status.FAILED and "boom" in roster_import.failure_reason


def test_apply_twice_is_refused():
    result = run(csv_bytes(BASE))
    with pytest.raises(RosterImportError):
        roster_import_apply(roster_import_id=result.pk)


def test_apply_rechecks_against_the_database():
    roster_import = run(csv_bytes([roster_line("0001")]), apply=False)
    UserFactory(email="s0001@city.example.jp", employee_number="9999")
    result = roster_import_apply(roster_import_id=roster_import.pk)
    assert (
        result.status == Status.INVALID and not User.objects.filter(employee_number="0001").exists()
    )


def test_errors_are_capped_but_counted_exactly(monkeypatch):
    monkeypatch.setattr(processing, "MAX_STORED_ERRORS", 5)
    lines = [roster_line(f"{n:04d}", employment="?") for n in range(12)]
    result = run(csv_bytes(lines))
    assert len(result.errors) == 6 and result.errors[-1]["summary"]
    assert roster_import_error_lines(result) == 12


@pytest.mark.postgresql  # SQLite takes 999 parameters a statement: inserts take more statements
def test_five_thousand_lines_in_a_handful_of_queries():
    lines = [roster_line(f"{n:05d}", section=f"課{n % 20}", unit=f"係{n % 3}") for n in range(5000)]
    content = csv_bytes(lines, encoding="cp932")
    with CaptureQueriesContext(connection) as queries:
        result = run(content)
    assert result.created_count == 5000 and result.units_created_count == 81
    assert len(queries) < 40
    with CaptureQueriesContext(connection) as queries:
        result = run(content)
    assert result.unchanged_count == 5000 and writes(queries) == []


# --- re-importing an unchanged roster: the preview's answer is reused ----------------------
def _previewed_again(lines, **options):
    """Import ``lines``, then upload the same file again and preview it (not applied)."""
    content = csv_bytes(lines, encoding="cp932")
    assert run(content, **options).status == Status.APPLIED
    return run(content, apply=False, **options)


@pytest.mark.postgresql  # the fingerprint sums rows up inside PostgreSQL
def test_unchanged_preview_is_applied_without_planning_again(django_assert_max_num_queries):
    again = _previewed_again(BASE)
    assert again.no_change_fingerprint
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    with (
        mock.patch.object(processing, "build_plan", side_effect=AssertionError("planned")),
        # With the receivers of roster_applied, in the apply's transaction: the audit entry
        # (the import read, the entry written) and the enrollments' sync queued.
        django_assert_max_num_queries(12),
    ):
        result = roster_import_apply(roster_import_id=again.pk)
    assert result.status == Status.APPLIED and result.applied_at is not None
    assert (result.created_count, result.updated_count, result.unchanged_count) == (0, 0, 3)


def test_a_preview_with_changes_keeps_no_fingerprint():
    roster_import = run(csv_bytes(BASE), apply=False)
    assert roster_import.created_count == 3 and roster_import.no_change_fingerprint == ""


@pytest.mark.postgresql  # the fingerprint sums rows up inside PostgreSQL
@pytest.mark.parametrize(
    "change",
    [
        lambda: User.objects.filter(employee_number="0002").update(display_name="別人"),
        lambda: User.objects.filter(employee_number="0003").update(is_active=False),
        lambda: OrgUnit.objects.filter(name="人事係").update(name="庶務係"),
        lambda: DxProAssignment.objects.all().delete(),
        lambda: UserFactory(employee_number="0099", from_roster=True),
    ],
    ids=["name", "deactivated", "unit renamed", "dx pro removed", "someone added"],
)
def test_a_database_changed_since_the_preview_is_planned_again(change):
    lines = [*BASE[:2], {**BASE[2], "DX PRO": "1"}]
    again = _previewed_again(lines)
    assert again.no_change_fingerprint
    change()
    result = roster_import_apply(roster_import_id=again.pk)
    if User.objects.filter(employee_number="0099").exists():
        # One of four people now leaves: more than 5 %, so the count goes back to HR first.
        assert result.status == Status.PREVIEWED and result.deactivated_count == 1
        result = roster_import_apply(roster_import_id=again.pk, confirm_deactivate=1)
    assert result.status == Status.APPLIED
    # The roster wins again, as if there had been no preview.
    assert User.objects.get(employee_number="0002").display_name == "井上 花子"
    assert User.objects.get(employee_number="0003").is_active
    assert User.objects.filter(unit__name="人事係", employee_number="0003").exists()
    assert DxProAssignment.objects.filter(user__employee_number="0003").exists()
    assert not User.objects.filter(employee_number="0099", is_active=True).exists()


@pytest.mark.postgresql  # the fingerprint sums rows up inside PostgreSQL
def test_fingerprint_covers_the_options_of_the_import():
    full = _previewed_again(BASE)
    partial = run(csv_bytes(BASE, encoding="cp932"), apply=False, full_roster=False)
    assert full.no_change_fingerprint and partial.no_change_fingerprint
    assert full.no_change_fingerprint != partial.no_change_fingerprint


def test_a_broker_outage_at_upload_and_apply_fails_no_request_and_loses_nothing(
    django_capture_on_commit_callbacks, broker_down
):
    """Redis is down when HR uploads and when HR presses apply: both are recorded with the
    work they need, the requests go on, and once Redis is back the sweep sends the
    validation, then the apply; nothing runs twice."""
    content = csv_bytes([roster_line("1234567", "山田 花子")])
    with django_capture_on_commit_callbacks(execute=True):
        record = roster_import_create(uploaded_by=None, file_name="r.csv", content=content)
    assert record.status == Status.PENDING
    broker_down.up()
    assert queued_tasks_send_lost() == 1  # the validation
    record.refresh_from_db()
    assert record.status == Status.PREVIEWED and record.created_count == 1

    broker_down.down()
    with django_capture_on_commit_callbacks(execute=True):
        record = roster_import_schedule_apply(roster_import_id=record.pk)
    assert record.status == Status.APPLYING
    broker_down.up()
    assert queued_tasks_send_lost() == 1  # the apply
    record.refresh_from_db()
    assert record.status == Status.APPLIED
    assert User.objects.filter(employee_number="1234567").count() == 1
    assert queued_tasks_send_lost() == 0


@pytest.fixture
def broker_down():
    """Sending the roster's tasks fails as with Redis stopped (not run in-process meanwhile)."""
    from kombu.exceptions import OperationalError as BrokerDown

    conf = org_tasks.roster_import_apply_task.app.conf
    eager = conf.task_always_eager
    patches = [
        mock.patch.object(task, "apply_async", side_effect=BrokerDown("down"))
        for task in (org_tasks.roster_import_validate_task, org_tasks.roster_import_apply_task)
    ]

    class Switch:
        def down(self) -> None:
            conf.task_always_eager = False
            for patch in patches:
                patch.start()

        def up(self) -> None:
            for patch in patches:
                patch.stop()
            conf.task_always_eager = eager

    switch = Switch()
    switch.down()
    yield switch
    mock.patch.stopall()
    conf.task_always_eager = eager


@pytest.mark.postgresql
def test_a_release_that_changes_planning_makes_old_previews_plan_again(monkeypatch):
    """The fingerprint holds a digest of the planning code: a preview made by other code is
    planned again at apply, with no version number to remember."""
    again = _previewed_again(BASE)
    assert again.no_change_fingerprint
    monkeypatch.setattr(processing, "planning_version", lambda: b"another release")
    with mock.patch.object(processing, "build_plan", wraps=processing.build_plan) as planned:
        result = roster_import_apply(roster_import_id=again.pk)
    assert planned.called
    assert result.status == Status.APPLIED


# --- people above HR: never changed by an import (security review F1) ----------------------
def _protected_people():
    """A superuser, a Django admin account, an editor (CMS rights HR lacks) and a person
    with one model permission HR lacks, each exactly as ``BASE`` lists 0001-0004."""
    from django.contrib.auth.models import Permission

    run(csv_bytes([*BASE, roster_line("0004", name="江藤 四郎")]))
    User.objects.filter(employee_number="0001").update(is_superuser=True, is_staff=True)
    User.objects.filter(employee_number="0002").update(is_staff=True)
    User.objects.get(employee_number="0003").groups.add(
        Group.objects.get_or_create(name=RoleGroup.EDITORS)[0]
    )
    User.objects.get(employee_number="0004").user_permissions.add(
        Permission.objects.get(codename="delete_rosterimport")
    )


@pytest.mark.parametrize("number", ["0001", "0002", "0003", "0004"])
def test_a_line_that_would_change_someone_above_hr_is_refused(number):
    _protected_people()
    lines = [roster_line(number, email="hr-inbox@city.example.jp")]
    result = run(csv_bytes(lines), full_roster=False)
    assert result.status == Status.INVALID
    assert [(e["line"], e["column"]) for e in result.errors] == [(2, "職員番号")]
    assert "cannot change this account" in result.errors[0]["message"]
    assert User.objects.get(employee_number=number).email == f"s{number}@city.example.jp"


def test_plain_staff_and_hr_are_still_updated():
    run(csv_bytes(BASE))
    User.objects.get(employee_number="0003").groups.add(
        Group.objects.get_or_create(name=RoleGroup.HR)[0]
    )
    lines = [roster_line("0003", email="new@city.example.jp")]
    result = run(csv_bytes(lines), full_roster=False)
    assert result.status == Status.APPLIED and result.updated_count == 1
    assert User.objects.get(employee_number="0003").email == "new@city.example.jp"


def test_someone_above_hr_whose_line_matches_is_unchanged_and_never_deactivated():
    _protected_people()
    User.objects.filter(employee_number__in=["0001", "0003"]).update(from_roster=False)
    lines = [*BASE, roster_line("0004", name="江藤 四郎")]
    result = run(csv_bytes(lines))
    assert result.status == Status.APPLIED, result.errors
    assert (result.updated_count, result.unchanged_count) == (0, 4)
    assert not User.objects.get(employee_number="0001").from_roster

    result = run(csv_bytes([roster_line("0005")]))  # a full roster without any of them
    assert result.status == Status.APPLIED and result.deactivated_count == 0
    assert User.objects.filter(is_active=True).count() == 5


def test_an_address_swap_with_someone_above_hr_is_refused():
    _protected_people()
    swapped = [dict(line) for line in BASE]
    swapped[0]["メールアドレス"], swapped[2]["メールアドレス"] = (
        BASE[2]["メールアドレス"],
        BASE[0]["メールアドレス"],
    )
    Group.objects.get(name=RoleGroup.EDITORS).user_set.clear()
    result = run(csv_bytes(swapped), full_roster=False)
    assert result.status == Status.INVALID
    messages = {e["line"]: e["message"] for e in result.errors}
    assert "0001" in messages[4] and "cannot change" in messages[4]
    assert User.objects.get(employee_number="0001").email == "s0001@city.example.jp"


# --- deactivating many people needs their number confirmed (UX review B1) ------------------
def _city(size: int):
    lines = [roster_line(f"{n:04d}") for n in range(1, size + 1)]
    assert run(csv_bytes(lines)).status == Status.APPLIED
    return lines


def _previewed(lines, **options):
    return run(csv_bytes(lines), apply=False, **options)


@pytest.mark.parametrize(
    ("size", "kept", "needs"),
    [
        (100, 95, False),  # 5 of 100: not more than 5 %, not more than 20
        (100, 94, True),  # 6 of 100: more than 5 %
        (1000, 979, True),  # 21 of 1000: more than 20
        (1000, 980, False),
    ],
)
def test_when_the_count_must_be_confirmed(size, kept, needs):
    lines = _city(size)
    preview = _previewed(lines[:kept], full_roster=True)
    assert preview.deactivated_count == size - kept
    assert processing.deactivation_needs_confirmation(preview.deactivated_count) is needs
    if needs:
        with pytest.raises(RosterImportError, match=f"deactivates {size - kept} people"):
            roster_import_apply(roster_import_id=preview.pk)
        with pytest.raises(RosterImportError):
            roster_import_schedule_apply(roster_import_id=preview.pk, confirm_deactivate=size)
        assert User.objects.filter(is_active=True).count() == size
    else:
        assert roster_import_apply(roster_import_id=preview.pk).status == Status.APPLIED
        assert User.objects.filter(is_active=True).count() == kept


def test_the_preview_keeps_who_it_deactivates_in_number_order():
    lines = _city(6)
    preview = _previewed([lines[0], lines[3]], full_roster=True)
    numbers = User.objects.in_bulk(preview.deactivated_ids)
    assert [numbers[pk].employee_number for pk in preview.deactivated_ids] == [
        "0002",
        "0003",
        "0005",
        "0006",
    ]


def test_a_count_that_changed_before_the_apply_sends_it_back_to_the_preview(
    django_capture_on_commit_callbacks,
):
    lines = _city(30)
    preview = _previewed(lines[:2], full_roster=True)
    assert preview.deactivated_count == 28
    with django_capture_on_commit_callbacks(execute=False) as queued:
        roster_import_schedule_apply(roster_import_id=preview.pk, confirm_deactivate=28)
    UserFactory(employee_number="9999", from_roster=True)  # joins before the worker applies
    result = roster_import_apply(roster_import_id=preview.pk)
    assert queued  # the apply task HR asked for; run here by hand
    assert result.status == Status.PREVIEWED
    assert result.deactivated_count == 29 and result.confirmed_deactivations is None
    assert "deactivates 29 people" in result.failure_reason
    assert User.objects.filter(is_active=True).count() == 31


def test_a_cancelled_import_is_kept_and_never_applied():
    from org.roster.services import roster_import_cancel

    preview = _previewed(BASE)
    cancelled = roster_import_cancel(roster_import_id=preview.pk)
    assert cancelled.status == Status.CANCELLED and cancelled.get_status_display() == "Cancelled"
    with pytest.raises(RosterImportError, match="cancelled"):
        roster_import_schedule_apply(roster_import_id=preview.pk)
    with pytest.raises(RosterImportError, match="cancelled"):
        roster_import_apply(roster_import_id=preview.pk)
    assert not User.objects.exists()

    applied = run(csv_bytes(BASE))
    with pytest.raises(RosterImportError, match="no longer be cancelled"):
        roster_import_cancel(roster_import_id=applied.pk)


def test_only_hr_cancels():
    from django.core.exceptions import PermissionDenied

    from org.roster.services import roster_import_cancel

    preview = _previewed(BASE)
    with pytest.raises(PermissionDenied):
        roster_import_cancel(roster_import_id=preview.pk, by=UserFactory())
    preview.refresh_from_db()
    assert preview.status == Status.PREVIEWED
