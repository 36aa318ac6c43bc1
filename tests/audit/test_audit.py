"""The audit log: written by HR and reviewer actions, readable by HR, changeable by nobody."""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent, AuditLogImmutable
from audit.services import record
from config.request_context import reset_current_request, set_current_request
from courses.models import ReviewDecision, WorksheetStatus
from lms.models import Assignment
from org.models import RoleGroup, RosterImport
from tests.factories import DxProAssignmentFactory, ManagerAssignmentFactory, UserFactory
from tests.lms.training import dates, make_city
from tests.org.roster_files import csv_bytes, roster_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = make_city()
    city["hr"] = UserFactory(groups=[RoleGroup.HR], unit=city["tree"]["jinji_kakari"])
    return city


def events():
    """Events other than role changes (the fixtures appoint people)."""
    return AuditEvent.objects.exclude(action__startswith="role.").order_by("pk")


def actions() -> list[str]:
    return list(events().values_list("action", flat=True))


# --- nobody can change or delete an event ------------------------------------------------------


def test_save_refuses_an_update_and_delete_refuses(city):
    event = record(action=AuditAction.EXPORT_CSV, actor=city["hr"], details={"report": "x"})
    event.details = {"report": "forged"}
    with pytest.raises(AuditLogImmutable):
        event.save()
    with pytest.raises(AuditLogImmutable):
        event.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.REMINDER_SENT)
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.bulk_update([event], ["details"])
    assert events().get().details == {"report": "x"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_update_and_delete_from_raw_sql(city):
    event = record(action=AuditAction.EXPORT_CSV, actor=city["hr"])
    for sql in (
        "UPDATE audit_auditevent SET action = 'export.xlsx' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert events().get().action == AuditAction.EXPORT_CSV


def _plain_connection():
    """A new connection to the test database as the application's role, without the test
    settings' ``dx.allow_truncate``: what a shell or another program would open."""
    import psycopg

    params = dict(connection.get_connection_params())
    for key in ("options", "cursor_factory", "context", "prepare_threshold"):
        params.pop(key, None)
    return psycopg.connect(**params, autocommit=True)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_refuses_truncate_without_the_test_runners_setting():
    """TRUNCATE fires no row trigger: the log could be emptied in one statement (F9)."""
    import psycopg

    record(action=AuditAction.EXPORT_CSV, details={"report": "x"})  # committed: transaction=True
    with _plain_connection() as other:
        for sql in ("TRUNCATE audit_auditevent", "TRUNCATE audit_auditevent CASCADE"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                other.execute(sql)
        setting = other.execute("SELECT current_setting('dx.allow_truncate', true)").fetchone()
        assert setting[0] in (None, "")
    assert events().count() == 1
    # The test connections allow it, so the flush after this test can empty the table.
    with connection.cursor() as cursor:
        cursor.execute("SHOW dx.allow_truncate")
        assert cursor.fetchone()[0] == "on"


def test_no_add_change_or_delete_permission_exists_anywhere(admin_user, rf):
    codenames = set(
        Permission.objects.filter(content_type__app_label="audit").values_list(
            "codename", flat=True
        )
    )
    assert codenames == {"view_auditevent"}
    model_admin = admin.site._registry[AuditEvent]
    request = rf.get("/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_django_admin_shows_the_log_read_only(client, admin_user, city):
    event = record(action=AuditAction.EXPORT_CSV, actor=city["hr"])
    client.force_login(admin_user)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    url = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert client.get(url).status_code == 200  # the view page
    response = client.post(url, {"action": AuditAction.REMINDER_SENT})
    assert response.status_code == 403
    delete = client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert events().get().action == AuditAction.EXPORT_CSV


def test_record_refuses_personal_data_and_unknown_actions(city):
    with pytest.raises(ValueError, match="personal"):
        record(action=AuditAction.EXPORT_CSV, details={"email": "a@city.example.jp"})
    with pytest.raises(ValueError, match="Unknown"):
        record(action="export.pdf")
    assert not events().exists()


def test_actor_defaults_to_the_person_of_the_request():
    person = UserFactory()
    request = RequestFactory().get("/")
    request.user = person
    token = set_current_request(request)
    try:
        event = record(action=AuditAction.EXPORT_CSV)
    finally:
        reset_current_request(token)
    assert event.actor == person
    assert record(action=AuditAction.EXPORT_CSV).actor is None  # outside a request: the system


# --- what writes events ------------------------------------------------------------------------


def test_roster_upload_apply_and_finish_are_logged(
    client, city, django_capture_on_commit_callbacks
):
    client.force_login(city["hr"])
    content = csv_bytes([roster_line("0001"), roster_line("0002")], encoding="cp932")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("org:roster_import_upload"),
            {"file": SimpleUploadedFile("roster.csv", content), "full_roster": ""},
        )
    roster_import = RosterImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("org:roster_import_apply", args=[roster_import.pk]))
    assert actions() == [
        AuditAction.ROSTER_UPLOADED,
        AuditAction.ROSTER_APPLY_REQUESTED,
        AuditAction.ROSTER_APPLIED,
    ]
    uploaded, requested, applied = events()
    assert uploaded.actor == requested.actor == city["hr"]
    assert applied.actor is None  # the Celery task finished it
    assert (applied.target_type, applied.target_id) == ("org.rosterimport", str(roster_import.pk))
    assert applied.details["created"] == 2 and applied.details["full_roster"] is False


def test_assignment_create_and_cancel_are_logged(client, city, django_capture_on_commit_callbacks):
    client.force_login(city["hr"])
    values = dates()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("lms:assignments"),
            {
                "course": city["course"].pk,
                "fiscal_year": values["fiscal_year"],
                "opens_on": values["opens_on"].isoformat(),
                "due_on": values["due_on"].isoformat(),
                "mandatory": "on",
            },
        )
    assignment = Assignment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lms:assignment_cancel", args=[assignment.pk]))
    created, cancelled = events()
    assert created.action == AuditAction.ASSIGNMENT_CREATED
    assert cancelled.action == AuditAction.ASSIGNMENT_CANCELLED
    assert cancelled.target_id == str(assignment.pk) and cancelled.actor == city["hr"]
    assert cancelled.details == {"withdrawn": 10}  # 9 staff and the HR member


def test_exports_are_logged(client, city):
    client.force_login(city["hr"])
    query = f"?course={city['course'].pk}"
    assert client.get(reverse("lms:dashboard_csv") + query).status_code == 200
    assert client.get(reverse("lms:dashboard_xlsx") + query).status_code == 200
    assert client.get(reverse("lms:reading_report_csv")).status_code == 200
    assert actions() == [AuditAction.EXPORT_CSV, AuditAction.EXPORT_XLSX, AuditAction.EXPORT_CSV]
    logged = list(events())
    assert logged[0].details["report"] == "completion"
    assert logged[2].details == {"report": "guidebook_reading"}


def test_a_refused_export_is_not_logged(client, city):
    client.force_login(city["people"]["madoguchi"][0])
    assert client.get(reverse("lms:dashboard_csv")).status_code == 403
    assert not events().exists()


def test_manual_reminders_are_logged_with_the_unit(client, city):
    client.force_login(city["hr"])
    unit = city["tree"]["madoguchi"]
    client.post(reverse("lms:reminder_send"), {"unit": unit.pk, "course": city["course"].pk})
    event = events().get()
    assert event.action == AuditAction.REMINDER_SENT
    assert event.unit_id == unit.pk and event.actor == city["hr"]
    assert event.details == {"sent": 0, "audience": "受講期限を過ぎた職員のみ"}


def test_worksheet_decisions_are_logged_with_the_reviewer(django_capture_on_commit_callbacks):
    from courses.svo.services import worksheet_review_decide
    from tests.factories import make_course, make_org_tree, make_svo_exercise, make_worksheet

    tree = make_org_tree()
    exercise = make_svo_exercise(make_course(lessons=1)["course"], min_statements=1)
    author = UserFactory(unit=tree["madoguchi"])
    reviewer = UserFactory(unit=tree["madoguchi"])
    DxProAssignmentFactory(user=reviewer, unit=tree["shimin_ka"])
    worksheet = make_worksheet(
        author, exercise, status=WorksheetStatus.SUBMITTED, submitted_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        worksheet_review_decide(
            worksheet_id=worksheet.pk,
            reviewer=reviewer,
            decision=ReviewDecision.RETURNED,
            version=worksheet.version,
            comment="根拠を書いてください",
        )
    event = AuditEvent.objects.get(action=AuditAction.WORKSHEET_RETURNED)
    assert event.actor == reviewer and event.unit_id == tree["madoguchi"].pk
    assert event.target_id == str(worksheet.pk) and event.details["author_id"] == author.pk


def test_role_changes_are_logged(city):
    unit = city["tree"]["shimin_ka"]
    person = city["people"]["madoguchi"][0]
    appointment = DxProAssignmentFactory(user=person, unit=unit)
    ManagerAssignmentFactory(user=person, unit=unit)
    person.groups.add(Group.objects.get_or_create(name=RoleGroup.EDITORS)[0])
    person.groups.add(Group.objects.get_or_create(name="Book club")[0])  # not a role
    appointment.delete()
    roles = AuditEvent.objects.filter(action__startswith="role.").order_by("pk")
    assert list(roles.values_list("action", flat=True))[-4:] == [
        AuditAction.DX_PRO_APPOINTED,
        AuditAction.MANAGER_APPOINTED,
        AuditAction.GROUP_ADDED,
        AuditAction.DX_PRO_REMOVED,
    ]
    removed = AuditEvent.objects.filter(action=AuditAction.DX_PRO_REMOVED).get()
    assert removed.details["user_id"] == person.pk and removed.unit_id == unit.pk


# --- HR reads it --------------------------------------------------------------------------------


def test_only_hr_reads_the_log(client, city):
    url = reverse("audit:event_list")
    assert client.get(url).status_code == 302
    client.force_login(city["people"]["madoguchi"][0])
    assert client.get(url).status_code == 403
    assert url not in client.get(reverse("lms:my_training")).text
    client.force_login(city["hr"])
    assert client.get(url).status_code == 200
    assert f'href="{url}"' in client.get(reverse("lms:my_training")).text  # in HR's header


def test_the_log_page_filters_paginates_and_keeps_its_query_count(
    client, city, django_assert_max_num_queries
):
    client.cookies["django_language"] = "en"
    client.force_login(city["hr"])
    other = city["people"]["madoguchi"][0]
    for _ in range(60):
        record(action=AuditAction.EXPORT_CSV, actor=city["hr"], unit=city["tree"]["madoguchi"])
    record(action=AuditAction.REMINDER_SENT, actor=other)
    url = reverse("audit:event_list")
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    assert (
        "62 entries" in page.text
    )  # with the fixture's appointment to HR and "Page 1 of 2" in page.text
    assert len(page.context["page"].object_list) == 50

    filtered = client.get(url, {"action": AuditAction.REMINDER_SENT})
    assert [e.actor for e in filtered.context["page"].object_list] == [other]
    by_actor = client.get(url, {"actor": other.employee_number})
    assert by_actor.context["page"].paginator.count == 1
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert client.get(url, {"since": tomorrow}).context["page"].paginator.count == 0
    assert "No entry matches." in client.get(url, {"since": tomorrow}).text


def test_the_log_reads_in_words_with_one_query_per_kind(
    client, city, django_assert_max_num_queries
):
    """No codes, no model ids: the action, the target named, the details as phrases."""
    client.force_login(city["hr"])
    course, madoguchi = city["course"], city["tree"]["madoguchi"]
    person = city["people"]["madoguchi"][0]
    for _ in range(3):
        assignment = Assignment.objects.create(course=course, **dates())
        assignment.units.add(city["tree"]["shimin_ka"])
        record(action=AuditAction.ASSIGNMENT_CREATED, target=assignment)
    roster = RosterImport.objects.create(file_name="名簿_2026.csv", full_roster=False)
    record(
        action=AuditAction.ROSTER_APPLIED,
        target=roster,
        details={"created": 2, "updated": 0, "deactivated": 0, "full_roster": False},
    )
    record(action=AuditAction.REMINDER_SENT, target=course, unit=madoguchi, details={"sent": 4})
    appointment = DxProAssignmentFactory(user=person, unit=city["tree"]["shimin_ka"])
    hr_group = Group.objects.get(name=RoleGroup.HR)
    record(action=AuditAction.GROUP_ADDED, target=hr_group, details={"user_id": person.pk})
    record(action=AuditAction.EXPORT_CSV, target=course, details={"report": "completion"})

    # The page's own queries (session, person, header, count, events: 12), one per kind of
    # target (5) and one for the people in the details.
    with CaptureQueriesContext(connection) as first:
        page = client.get(reverse("audit:event_list"))
    queries = len(first)
    assert queries <= 18
    html = page.text
    title = course.title
    assert f"研修の割当て：{title}（市民課）" in html
    assert "名簿の取り込み：名簿_2026.csv" in html
    assert f"研修：{title}" in html
    assert f"DX PROの任命：{person.display_name}（市民課）" in html
    assert appointment.pk
    assert "役割グループ：人事課・DX推進課" in html
    assert f"対象者：{person.display_name}" in html
    for phrase in ("新規 2人", "無効化 0人", "全件名簿：いいえ", "送信 4人", "帳票：修了状況"):
        assert phrase in html
    assert ">対象</th>" in html and "目標" not in html
    for code in ("assignment.created", "lms.assignment", "#", "full_roster", "user_id"):
        assert code not in html.split("<table", 1)[1], code
    assert '<button type="submit" class="button">絞り込む</button>' in html
    filters = client.get(reverse("audit:event_list")).context["form"]
    assert "DX PROの任命" in dict(filters.fields["action"].choices).values()

    # The query count does not grow with the entries of a kind.
    for _ in range(20):
        more = Assignment.objects.create(course=course, **dates())
        more.units.add(madoguchi)
        record(action=AuditAction.ASSIGNMENT_CREATED, target=more)
    with django_assert_max_num_queries(queries):
        client.get(reverse("audit:event_list"))
