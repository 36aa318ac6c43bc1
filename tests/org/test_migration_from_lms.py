"""Moving the organisation's models from lms to org moves no data.

The database is taken back to the schema before the move (lms owning units, roles and roster
imports), filled there through the historical models, and migrated forward again: every table
keeps its rows, the content types follow the models (so HR keeps its permissions on the role
snippets), and the rows read back through the new models are the ones written.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [
    ("lms", "0010_people_list_indexes"),
    ("audit", "0002_append_only_trigger"),
    ("surveys", "0001_initial"),
    ("org", None),
]
TABLES = [
    "lms_orgunit",
    "lms_dxproassignment",
    "lms_managerassignment",
    "lms_rosterimport",
    "lms_user",
    "lms_assignment_units",
    "lms_enrollment",
    "lms_unitcoursestats",
    "audit_auditevent",
    "auth_group_permissions",
    "django_content_type",
]


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _seed(apps) -> dict[str, int]:
    """A small city at the old schema, written through lms's historical models."""
    OrgUnit = apps.get_model("lms", "OrgUnit")
    User = apps.get_model("lms", "User")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    department = OrgUnit.objects.create(path="0001", depth=1, kind="department", name="市民生活部")
    section = OrgUnit.objects.create(path="00010001", depth=2, kind="section", name="市民課")
    pro = User.objects.create(employee_number="M0001", display_name="移行 一郎", unit=section)
    chief = User.objects.create(employee_number="M0002", display_name="移行 花子", unit=section)
    apps.get_model("lms", "DxProAssignment").objects.create(
        user=pro, unit=section, fiscal_year=2026
    )
    apps.get_model("lms", "ManagerAssignment").objects.create(user=chief, unit=department)
    RosterImport = apps.get_model("lms", "RosterImport")
    roster = RosterImport.objects.create(
        file="roster/2026/04/roster.csv", file_name="roster.csv", uploaded_by=chief
    )  # waiting to be checked when the release is deployed
    applying = RosterImport.objects.create(
        file="roster/2026/04/b.csv", file_name="b.csv", uploaded_by=chief, status="applying"
    )
    RosterImport.objects.create(
        file="roster/2026/03/c.csv", file_name="c.csv", uploaded_by=chief, status="applied"
    )
    course_type, _ = ContentType.objects.get_or_create(app_label="courses", model="coursepage")
    root = apps.get_model("wagtailcore", "Page").objects.get(depth=1)
    course = apps.get_model("courses", "CoursePage").objects.create(
        title="移行確認研修", draft_title="移行確認研修", slug="migration-check",
        path=root.path + "9999", depth=2, content_type=course_type, live=True,
        locale_id=root.locale_id,
    )  # fmt: skip
    Assignment = apps.get_model("lms", "Assignment")
    assignment = Assignment.objects.create(
        course_id=course.pk,
        fiscal_year=2026,
        opens_on=dt.date(2026, 4, 1),
        due_on=dt.date(2026, 9, 30),
    )
    assignment.units.add(department)
    apps.get_model("lms", "Enrollment").objects.create(
        user=pro,
        course_id=course.pk,
        fiscal_year=2026,
        assignment=assignment,
        status="completed",
        unit_at_completion=section,
    )
    apps.get_model("lms", "UnitCourseStats").objects.create(
        unit=section, course_id=course.pk, fiscal_year=2026, enrolled=1, completed=1
    )
    apps.get_model("audit", "AuditEvent").objects.create(
        action="roster.applied", target_type="lms.rosterimport", target_id=str(roster.pk),
        unit=section,
    )  # fmt: skip
    # HR's permission on the DX PRO snippet, on lms's content type.
    dx_pro_type, _ = ContentType.objects.get_or_create(app_label="lms", model="dxproassignment")
    permission, _ = Permission.objects.get_or_create(
        content_type=dx_pro_type, codename="change_dxproassignment",
        defaults={"name": "Can change DX PRO assignment"},
    )  # fmt: skip
    Group.objects.get_or_create(name="HR")[0].permissions.add(permission)
    return {
        "section": section.pk,
        "roster": roster.pk,
        "applying": applying.pk,
        "permission": permission.pk,
    }


def test_moving_the_models_to_org_keeps_every_row():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    # The state of the database now: the moved apps before the move, the others at their
    # latest (their tables have their latest columns).
    moved = {app for app, _name in BEFORE}
    others = [node for node in latest if node[0] not in moved]
    before_apps = executor.loader.project_state([*BEFORE[:3], *others]).apps
    ids = _seed(before_apps)
    counts_before = _counts()

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    assert _counts() == counts_before
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from audit.models import AuditEvent
    from lms.models import Enrollment, UnitCourseStats, User
    from org.models import DxProAssignment, ManagerAssignment, OrgUnit, RosterImport

    ContentType.objects.clear_cache()
    section = OrgUnit.objects.get(pk=ids["section"])
    assert section.full_name() == "市民生活部 市民課"
    assert User.objects.get(employee_number="M0001").unit == section
    assert DxProAssignment.objects.get().unit == section
    assert ManagerAssignment.objects.get().unit.name == "市民生活部"
    assert RosterImport.objects.get(pk=ids["roster"]).uploaded_by.employee_number == "M0002"
    assert Enrollment.objects.get().unit_at_completion == section
    assert UnitCourseStats.objects.get().unit == section
    assert AuditEvent.objects.get(target_type="lms.rosterimport").unit_id == section.pk
    permission = Permission.objects.get(pk=ids["permission"])
    assert permission.content_type == ContentType.objects.get_for_model(DxProAssignment)
    assert permission.content_type.app_label == "org"
    assert Group.objects.get(name="HR").permissions.filter(pk=permission.pk).exists()
    assert not ContentType.objects.filter(app_label="lms", model="orgunit").exists()
    # The imports under way at the upgrade are queued again under their new task names, so
    # the sweep sends them and none stays "Checking" or "Applying".
    from core.models import QueuedTask

    queued = QueuedTask.objects.order_by("task").values_list("task", "key", "args", "sent_at")
    assert list(queued) == [
        ("org.roster_import_apply", str(ids["applying"]), [ids["applying"]], None),
        ("org.roster_import_validate", str(ids["roster"]), [ids["roster"]], None),
    ]
