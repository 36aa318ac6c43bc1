"""Every URL, every kind of viewer, the expected status: the permission matrix.

``MATRIX`` has one row per URL pattern of our apps (and one or more per third-party include:
the Django and Wagtail admins, documents, the language switch, Wagtail's page tree). Each row
says, for the viewers in ``VIEWERS`` order, which status the request must get. A URL pattern
without a row fails ``test_every_url_pattern_has_a_row``: a new screen gets its row (and so a
decision about who may use it) before it ships.

Viewers, all in the organisation of ``tests.factories.make_org_tree``:
``anon`` nobody signed in; ``staff`` a clerk in 窓口係, the owner of the records used below;
``pro_other`` the DX PRO of 人事課 (another section); ``pro`` the DX PRO of 市民課 (the staff
member's section); ``manager`` the 課長 of 市民課 (not its DX PRO: their 「担当の所属」 is 市民課
and 窓口係, and they read there what a DX PRO reviews); ``hr`` the HR group; ``editor`` the
content editors group; ``admin`` a superuser. Rows marked "another section" ask for 人事係, a
unit outside the manager's and the staff member's, with ``stranger``'s records.

Every request runs in a transaction that is rolled back, so the POSTs (which are real, valid
requests) do not change what the next viewer sees.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.documents.models import Document

from content.models import GuidebookIndexPage, GuidebookPage
from courses.models import PlanStatus, QuestionType, Video, VideoStatus, WorksheetStatus
from courses.plans.services import PlanStepData, plan_create
from courses.services import attempt_start
from lms.enrolment.services import assignment_create, assignment_fan_out, enrollment_set_status
from lms.models import Enrollment, EnrollmentStatus, ScheduledReport
from org.models import RoleGroup, RosterImport
from org.people import Position
from org.roster.services import roster_import_create
from surveys.models import Questionnaire
from tests.courses.scorm.helpers import make_scorm_lesson
from tests.courses.video.media import add_video_lesson
from tests.factories import (
    DxProAssignmentFactory,
    UserFactory,
    make_course,
    make_question,
    make_svo_exercise,
    make_worksheet,
)
from tests.lms.training import dates, make_city
from tests.org.roster_files import csv_bytes, roster_line


def notice_template_edit(o) -> str:
    from core.notices.models import NoticeTemplate

    template = NoticeTemplate.objects.order_by("pk").first()
    return reverse("wagtailsnippets_core_noticetemplate:edit", args=[template.pk])


def notice_settings_edit(o) -> str:
    from core.notices.models import NoticeSettings

    row = NoticeSettings.objects.order_by("pk").first()
    return reverse("wagtailsettings:edit", args=["core", "noticesettings", row.pk])


VIEWERS = ["anon", "staff", "pro_other", "pro", "manager", "hr", "editor", "admin"]

# Includes of third-party URLconfs: covered by representative rows, tagged with the prefix.
THIRD_PARTY_PREFIXES = {"django-admin/", "cms/", "documents/", "<wagtail pages>"}


@dataclass(frozen=True)
class Row:
    """One URL: how to build it from the objects, the request, and the expected statuses."""

    name: str  # URL name ("org:roster"), or the third-party prefix it stands for
    url: Callable[[dict], str]
    expected: str  # statuses in VIEWERS order, space-separated
    method: str = "get"
    data: Callable[[dict], Any] = field(default=lambda o: {})
    json: bool = False

    def statuses(self) -> dict[str, int]:
        codes = self.expected.split()
        assert len(codes) == len(VIEWERS), self.name
        return dict(zip(VIEWERS, map(int, codes), strict=True))


def r(name, *args, **kwargs):
    return lambda o: reverse(name, args=[o[a] if isinstance(a, str) else a for a in args], **kwargs)


def page_url(key):
    return lambda o: o[key].url


HR_ONLY = "302 403 403 403 403 200 403 200"
HR_POST = "302 403 403 403 403 302 403 302"
MANAGER_AND_HR = "302 403 403 403 200 200 403 200"  # a manager: their own units' records
MANAGER_ONLY = "302 403 403 403 200 403 403 403"
UNIT_SCOPED = "302 403 200 200 200 200 403 200"  # HR, managers and DX PROs, each their scope
SIGNED_IN = "302 200 200 200 200 200 200 200"
EVERYONE = "200 200 200 200 200 200 200 200"
# The guidebook and course pages are public reading: no personal data, no records written.
PUBLIC = EVERYONE
OWNER_ONLY = "302 200 404 404 404 404 404 404"
EDITORS_ONLY = "302 403 403 403 403 403 200 200"
OWNER_POST = "302 302 404 404 404 404 404 404"

MATRIX: list[Row] = [
    # --- lms: the learner ---
    Row("lms:my_training", r("lms:my_training"), SIGNED_IN),
    Row("lms:certificate_download", r("lms:certificate_download", "enrollment"), OWNER_ONLY),
    Row("lms:certificate_verify", r("lms:certificate_verify"), EVERYONE),
    # --- lms: accounts ---
    Row("lms:login", r("lms:login"), "200 302 302 302 302 302 302 302"),
    Row("lms:logout", r("lms:logout"), "302 302 302 302 302 302 302 302", method="post"),
    # Sign-in with an OpenID provider: absent (404) while it is not configured, as here;
    # tests/lms/accounts/test_oidc.py covers them configured.
    Row("lms:oidc_start", r("lms:oidc_start"), "404 404 404 404 404 404 404 404"),
    Row("lms:oidc_callback", r("lms:oidc_callback"), "404 404 404 404 404 404 404 404"),
    Row("lms:password_change", r("lms:password_change"), SIGNED_IN),
    Row("lms:password_change_done", r("lms:password_change_done"), SIGNED_IN),
    Row("lms:password_reset", r("lms:password_reset"), EVERYONE),
    Row("lms:password_reset_done", r("lms:password_reset_done"), EVERYONE),
    Row(
        "lms:password_reset_confirm",
        lambda o: reverse("lms:password_reset_confirm", args=["MQ", "bad-token"]),
        EVERYONE,  # an invalid link says so; it reveals nothing
    ),
    Row("lms:password_reset_complete", r("lms:password_reset_complete"), EVERYONE),
    # First sign-in with an activation code: for people not signed in; the password step
    # only after a good code (else back to the code step).
    Row("lms:activate", r("lms:activate"), "200 302 302 302 302 302 302 302"),
    Row("lms:activate_password", r("lms:activate_password"), "302 302 302 302 302 302 302 302"),
    # --- lms: HR, managers, DX PROs ---
    Row("org:roster", r("org:roster"), UNIT_SCOPED),
    Row("lms:dashboard", r("lms:dashboard"), UNIT_SCOPED),
    Row(
        "lms:dashboard",  # drilled into another section: only who sees it (pro_other, HR)
        lambda o: reverse("lms:dashboard") + f"?unit={o['other_unit'].pk}",
        "302 403 200 404 404 200 403 200",
    ),
    Row("lms:dashboard_csv", r("lms:dashboard_csv"), UNIT_SCOPED),
    Row("lms:dashboard_xlsx", r("lms:dashboard_xlsx"), UNIT_SCOPED),
    # The names of a unit's people: HR, and the unit's 課長; for everyone else the unit does
    # not exist (404), a DX PRO included (their scope is for reviewing, not name lists).
    Row(
        "lms:people_csv",
        lambda o: reverse("lms:people_csv") + f"?course={o['course_id']}&unit={o['unit'].pk}",
        "302 404 404 404 200 200 404 200",
    ),
    Row(
        "lms:people_xlsx",
        lambda o: reverse("lms:people_xlsx") + f"?course={o['course_id']}&unit={o['unit'].pk}",
        "302 404 404 404 200 200 404 200",
    ),
    # Scheduled reports: HR's screen.
    Row("lms:schedules", r("lms:schedules"), HR_ONLY),
    Row("lms:schedule_create", r("lms:schedule_create"), HR_ONLY),
    Row("lms:schedule_edit", r("lms:schedule_edit", "schedule"), HR_ONLY),
    Row(
        "lms:schedule_set_active",
        r("lms:schedule_set_active", "schedule"),
        HR_POST,
        "post",
        data=lambda o: {"active": "0"},
    ),
    Row("lms:schedule_delete", r("lms:schedule_delete", "schedule"), HR_ONLY),
    Row("lms:schedule_delete", r("lms:schedule_delete", "schedule"), HR_POST, "post"),
    Row("lms:assignments", r("lms:assignments"), HR_ONLY),
    Row("lms:assignment_cancel", r("lms:assignment_cancel", "assignment"), HR_POST, "post"),
    Row("lms:reminder_log", r("lms:reminder_log"), MANAGER_AND_HR),
    Row(
        "lms:reminder_send",
        r("lms:reminder_send"),
        "302 403 403 403 302 302 403 302",  # HR, and the manager of the unit
        "post",
        data=lambda o: {"unit": o["unit"].pk, "course": o["course"].pk},
    ),
    Row(
        "lms:reminder_send",  # the confirmation
        lambda o: reverse("lms:reminder_send") + f"?unit={o['unit'].pk}&course={o['course'].pk}",
        MANAGER_AND_HR,
    ),
    Row(
        "lms:reminder_send",  # to another section: not the manager's to know of
        r("lms:reminder_send"),
        "302 403 403 403 404 302 403 302",
        "post",
        data=lambda o: {"unit": o["other_unit"].pk, "course": o["course"].pk},
    ),
    Row("lms:reading_report", r("lms:reading_report"), HR_ONLY),
    Row("lms:reading_report_csv", r("lms:reading_report_csv"), HR_ONLY),
    Row("org:roster_import_upload", r("org:roster_import_upload"), HR_ONLY),
    Row("org:roster_import_detail", r("org:roster_import_detail", "roster_import"), HR_ONLY),
    Row("org:roster_import_status", r("org:roster_import_status", "roster_import"), HR_ONLY),
    Row(
        "org:roster_import_apply",
        r("org:roster_import_apply", "roster_import"),
        HR_POST,
        "post",
    ),
    Row(
        "org:roster_import_cancel",
        r("org:roster_import_cancel", "roster_import"),
        HR_POST,
        "post",
    ),
    Row("org:roster_import_sample", r("org:roster_import_sample"), HR_ONLY),
    Row("org:roster_import_file", r("org:roster_import_file", "roster_import"), HR_ONLY),
    Row("lms:activation_codes", r("lms:activation_codes"), HR_ONLY),
    Row(
        "lms:activation_codes",  # issuing: HR gets the PDF
        r("lms:activation_codes"),
        "302 403 403 403 403 200 403 200",
        "post",
        data=lambda o: {"employee_numbers": o["newcomer"], "step": "issue"},
    ),
    # --- courses: worksheet review ---
    Row("courses:review_queue", r("courses:review_queue"), SIGNED_IN),
    Row(
        "courses:review_detail",  # the DX PRO reviews; the manager reads
        r("courses:review_detail", "worksheet"),
        "302 404 404 200 200 404 404 404",
    ),
    Row(
        "courses:review_detail",  # a decision: the DX PRO's to take, never the manager's
        r("courses:review_detail", "worksheet"),
        "302 404 404 200 403 404 404 404",
        "post",
        data=lambda o: {"decision": "approved", "version": 1},
    ),
    Row(
        "courses:review_detail",  # a stranger's, in another section
        r("courses:review_detail", "stranger_worksheet"),
        "302 404 200 404 404 404 404 404",
    ),
    Row(
        "courses:review_detail",  # a draft is its author's alone
        r("courses:review_detail", "draft_id"),
        "302 404 404 404 404 404 404 404",
    ),
    Row("courses:unit_worksheets", r("courses:unit_worksheets"), MANAGER_ONLY),
    # --- courses: DX execution plans from approved worksheets (author, owner, DX PRO, HR) ---
    # Each sees the plans in their scope.
    Row("courses:plan_list", r("courses:plan_list"), SIGNED_IN),
    Row("courses:plan_detail", r("courses:plan_detail", "plan"), "302 200 404 200 200 200 404 200"),
    Row("courses:plan_edit", r("courses:plan_edit", "plan"), "302 200 404 200 403 403 404 403"),
    Row(
        "courses:plan_new",
        r("courses:plan_new", "approved", "approved_idea"),
        "302 200 404 200 404 404 404 404",
    ),
    # --- surveys ---
    Row("surveys:answer", r("surveys:answer", "enrollment"), OWNER_ONLY),
    Row("surveys:results", r("surveys:results"), UNIT_SCOPED),
    Row("surveys:maturity", r("surveys:maturity"), UNIT_SCOPED),
    Row(
        "surveys:maturity_edit",
        r("surveys:maturity_edit", "department"),
        "302 403 403 403 403 200 403 200",  # HR, or the 部長 of that department
    ),
    # --- audit, health ---
    Row("audit:event_list", r("audit:event_list"), HR_ONLY),
    Row("health", r("health"), EVERYONE),
    Row("health_live", r("health_live"), EVERYONE),
    # --- content: the guidebook's actions ---
    Row("content:search", lambda o: reverse("content:search") + "?q=DX", PUBLIC),
    Row("content:glossary", r("content:glossary"), PUBLIC),
    Row(
        "content:chapter_read",
        r("content:chapter_read", "chapter_id"),
        "403 200 200 200 200 200 200 200",
        "post",
        data=lambda o: {"seconds_active": 30, "reached_end": True},
        json=True,
    ),
    Row("content:edition_pdf", r("content:edition_pdf", "edition_id"), PUBLIC),
    # --- courses: the learner's actions ---
    Row(
        "courses:quiz_start",
        r("courses:quiz_start", "quiz_id"),
        "302 302 302 302 302 302 302 302",
        "post",
    ),
    Row("courses:attempt", r("courses:attempt", "attempt_id"), OWNER_ONLY),
    # Essay marking: everyone's own queue (empty unless they mark); an attempt only for
    # those who may mark it (the DX PRO of the learner's unit), never its owner; one that
    # is not waiting sends the marker back to the queue.
    Row("courses:marking_queue", r("courses:marking_queue"), SIGNED_IN),
    Row(
        "courses:marking_detail",
        r("courses:marking_detail", "attempt_id"),
        "302 403 403 302 403 403 403 403",
    ),
    Row(
        "courses:attempt_answer",
        r("courses:attempt_answer", "attempt_id"),
        OWNER_POST,  # a form post; the JSON autosave of answers is the same view
        "post",
    ),
    Row("courses:attempt_submit", r("courses:attempt_submit", "attempt_id"), OWNER_POST, "post"),
    Row("courses:attempt_confirm", r("courses:attempt_confirm", "attempt_id"), OWNER_ONLY),
    Row("courses:attempt_status", r("courses:attempt_status", "attempt_id"), OWNER_ONLY),
    Row(
        "courses:lesson_read",
        r("courses:lesson_read", "lesson_id"),
        "302 302 302 302 302 302 302 302",
        "post",
    ),
    # Video lessons: the media to whoever may see the lesson; a watch report is one's own
    # (a token of another page or person is refused: 400); the processing status, editors.
    Row(
        "courses:video_media",
        lambda o: reverse("courses:video_media", args=[o["video_lesson_id"], "video"]),
        SIGNED_IN,
    ),
    Row(
        "courses:video_watch",
        r("courses:video_watch", "video_lesson_id"),
        "302 400 400 400 400 400 400 400",
        "post",
        data=lambda o: {"payload": json.dumps({"token": "x", "intervals": [], "position": 0})},
    ),
    Row("courses:video_status", r("courses:video_status", "video_id"), EDITORS_ONLY),
    Row("courses:svo_worksheet", r("courses:svo_worksheet", "exercise_id"), SIGNED_IN),
    # A SCORM lesson's files: whoever may see the (public) lesson, signed in.
    Row(
        "courses:scorm_file",
        lambda o: reverse("courses:scorm_file", args=[o["scorm_lesson"].package.key, "index.html"]),
        SIGNED_IN,
    ),
    Row(
        "courses:scorm_commit",
        r("courses:scorm_commit", "scorm_lesson_id"),
        "302 200 200 200 200 200 200 200",  # each saves their own record, never another's
        "post",
        data=lambda o: {"data": '{"cmi": {"core": {}}}', "session": "matrix", "sequence": 1},
    ),
    Row(
        "courses:svo_autosave",
        r("courses:svo_autosave", "draft_id"),
        "302 200 403 403 403 403 403 403",  # JSON: "not your worksheet"
        "post",
        data=lambda o: {"lock_version": 0, "statements": []},
        json=True,
    ),
    # --- third party: language switch, admins, documents, Wagtail pages ---
    Row(
        "lms:language",
        r("lms:language"),
        "302 302 302 302 302 302 302 302",
        "post",
        data=lambda o: {"language": "en", "next": "/"},
    ),
    Row("django-admin/", r("admin:index"), "302 302 302 302 302 302 302 200"),
    Row("django-admin/", r("admin:lms_user_changelist"), "302 302 302 302 302 302 302 200"),
    Row("cms/", r("wagtailadmin_home"), "302 302 302 302 302 200 200 200"),
    Row("cms/", r("wagtailadmin_pages:edit", "course_id"), "302 302 302 302 302 302 200 200"),
    Row("cms/", r("wagtailusers_users:index"), "302 302 302 302 302 302 302 200"),
    # HR edits the notice templates, the signature and the units' Teams channels.
    Row("cms/", r("wagtailsnippets_core_noticetemplate:list"), "302 302 302 302 302 200 302 200"),
    Row("cms/", notice_template_edit, "302 302 302 302 302 200 302 200"),
    Row("cms/", notice_settings_edit, "302 302 302 302 302 200 302 200"),
    Row("cms/", r("wagtailsnippets_lms_unitteamschannel:list"), "302 302 302 302 302 200 302 200"),
    Row("documents/", lambda o: o["document"].url, PUBLIC),  # guidebook attachments
    Row("<wagtail pages>", lambda o: "/", SIGNED_IN),
    Row("<wagtail pages>", page_url("guide"), PUBLIC),
    Row("<wagtail pages>", page_url("course"), PUBLIC),
    Row("<wagtail pages>", page_url("lesson"), PUBLIC),
    Row("<wagtail pages>", page_url("quiz"), PUBLIC),
    Row("<wagtail pages>", page_url("exercise"), PUBLIC),
]


# --- the objects -------------------------------------------------------------------------------


def _objects() -> dict:
    city = make_city()
    tree = city["tree"]
    staff = UserFactory(unit=tree["madoguchi"])
    hr = UserFactory(unit=tree["jinji_kakari"], groups=[RoleGroup.HR])
    viewers = {
        "anon": None,
        "staff": staff,
        "pro_other": UserFactory(unit=tree["kyuyo_kakari"]),
        "pro": UserFactory(unit=tree["madoguchi"]),
        "manager": UserFactory(unit=tree["shimin_ka"], position=Position.SECTION_CHIEF),
        "hr": hr,
        "editor": UserFactory(unit=tree["dx_kakari"], groups=[RoleGroup.EDITORS]),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    DxProAssignmentFactory(user=viewers["pro_other"], unit=tree["jinji"])
    DxProAssignmentFactory(user=viewers["pro"], unit=tree["shimin_ka"])

    course = city["course"]
    quiz = make_course(
        title="確認", slug="matrix-quiz", lessons=0,
        questions=[make_question(QuestionType.TRUE_FALSE, name="q1")],
    )["quiz"]  # fmt: skip
    exercise = make_svo_exercise(course, min_statements=1)
    assignment = assignment_create(course=course, enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    enrollment = Enrollment.objects.get(user=staff, course=course)
    enrollment_set_status(
        enrollment=enrollment, status=EnrollmentStatus.COMPLETED, refresh_stats=False
    )
    submitted = make_worksheet(staff, exercise, status=WorksheetStatus.SUBMITTED,
                               submitted_at=timezone.now())  # fmt: skip
    other_exercise = make_svo_exercise(quiz.get_parent().specific, min_statements=1)
    draft = make_worksheet(staff, other_exercise)
    third_exercise = make_svo_exercise(
        make_course(title="三", slug="matrix-plans", lessons=0)["course"], min_statements=1
    )
    approved = make_worksheet(
        staff, third_exercise, statements=2, status=WorksheetStatus.APPROVED,
        submitted_at=timezone.now(),
    )  # fmt: skip
    first, second = approved.statements.order_by("position")
    plan = plan_create(
        worksheet_id=approved.pk, statement_id=first.pk, by=staff, steps=[PlanStepData("試行")],
        data={
            "title": "窓口の受付を予約制にする", "purpose": "待ち時間を減らす",
            "problem_events": "月曜の朝に列ができる", "kpi": "平均待ち時間", "kpi_unit": "分",
            "current_value": Decimal("30"), "target_value": Decimal("10"),
            "deadline_fiscal_year": dates()["fiscal_year"] + 1, "deadline_quarter": 2,
            "owner": staff, "status": PlanStatus.DRAFT,
        },
    )  # fmt: skip
    Questionnaire.objects.create(title="受講後アンケート", course=course)
    roster_import = roster_import_create(
        uploaded_by=hr, file_name="roster.csv", content=csv_bytes([roster_line("0901")]),
    )  # fmt: skip
    RosterImport.objects.filter(pk=roster_import.pk).update(status=RosterImport.Status.PREVIEWED)

    guide = GuidebookIndexPage.objects.get(slug="guide")
    edition = GuidebookPage(title="版", slug="matrix-edition", edition="full", fiscal_year=2026)
    guide.add_child(instance=edition)
    edition.save_revision().publish()
    from tests.helpers.guidebook import make_chapter

    chapter = make_chapter(edition, title="章", slug="c1", body=[])
    document = Document(title="資料")
    document.file.save("matrix.txt", ContentFile(b"guide"), save=True)
    # Someone the roster brought in, for HR's activation slips.
    newcomer = UserFactory(unit=tree["madoguchi"], from_roster=True, password=None)
    schedule = ScheduledReport.objects.create(
        course=course, unit=tree["madoguchi"], frequency="weekly", weekday=0, created_by=hr
    )
    schedule.recipients.set([viewers["manager"]])
    # Someone in another section (人事係), with a submitted worksheet.
    stranger = UserFactory(unit=tree["jinji_kakari"])
    stranger_worksheet = make_worksheet(stranger, exercise, status=WorksheetStatus.SUBMITTED,
                                        submitted_at=timezone.now())  # fmt: skip
    scorm_lesson = make_scorm_lesson(course, "scorm12")
    video = Video.objects.create(
        title="動画", status=VideoStatus.READY, progress=100, duration_seconds=100.0
    )
    video.file.save("matrix.webm", ContentFile(b"\x1a\x45\xdf\xa3 webm"), save=True)
    video_lesson = add_video_lesson(course, video, slug="matrix-video")
    return {
        "viewers": viewers,
        "video_id": video.pk,
        "video_lesson_id": video_lesson.pk,
        "scorm_lesson": scorm_lesson,
        "scorm_lesson_id": scorm_lesson.pk,
        "unit": tree["madoguchi"],
        "other_unit": tree["jinji_kakari"],
        "stranger_worksheet": stranger_worksheet.pk,
        "course": course,
        "course_id": course.pk,
        "lesson": city["lessons"][0],
        "lesson_id": city["lessons"][0].pk,
        "quiz": quiz,
        "quiz_id": quiz.pk,
        "attempt_id": attempt_start(user=staff, quiz=quiz).pk,
        "exercise": exercise,
        "exercise_id": exercise.pk,
        "worksheet": submitted.pk,
        "draft_id": draft.pk,
        "enrollment": enrollment.pk,
        "assignment": assignment.pk,
        "roster_import": roster_import.pk,
        "guide": guide,
        "edition_id": edition.pk,
        "chapter_id": chapter.pk,
        "document": document,
        "plan": plan.pk,
        "approved": approved.pk,
        "approved_idea": second.pk,
        "department": tree["shimin_bu"].pk,
        "newcomer": newcomer.employee_number,
        "schedule": schedule.pk,
    }


def _request(client: Client, row: Row, objects: dict):
    url = row.url(objects)
    if row.method == "get":
        return client.get(url)
    data = row.data(objects)
    if row.json:
        return client.post(url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


#: Rows whose anonymous redirect goes elsewhere than a sign-in page: after signing out, the
#: language switch, and the password step of a first sign-in (back to its code step).
NOT_TO_SIGN_IN = ("lms:logout", "lms:language", "lms:activate_password")


def _run(row: Row, viewer: str, objects: dict, client: Client):
    user = objects["viewers"][viewer]
    client.logout()
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        response = _request(client, row, objects)
        transaction.set_rollback(True)
    return response


@pytest.mark.django_db
def test_permission_matrix(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    objects = _objects()
    client = Client()
    mismatches = []
    for row in MATRIX:
        for viewer, expected in row.statuses().items():
            response = _run(row, viewer, objects, client)
            actual = response.status_code
            if actual != expected:
                mismatches.append(f"{row.name} {row.url(objects)} {viewer}: {actual} != {expected}")
            elif viewer == "anon" and actual == 302 and row.name not in NOT_TO_SIGN_IN:
                # Anonymous visitors are sent to a sign-in page, nowhere else.
                location = response["Location"]
                assert "login" in location, (row.name, location)
    assert mismatches == [], "\n".join(mismatches)


def _patterns(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            route = prefix + str(pattern.pattern)
            module = getattr(pattern.urlconf_module, "__name__", "")
            if route in THIRD_PARTY_PREFIXES:
                yield route
            elif module == "wagtail.urls":
                yield "<wagtail pages>"
            else:
                ns = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from _patterns(pattern.url_patterns, route, ns)
        elif isinstance(pattern, URLPattern):
            name = ":".join(filter(None, [namespace, pattern.name]))
            yield name or f"<unnamed {prefix}{pattern.pattern}>"


def test_every_url_pattern_has_a_row():
    patterns = set(_patterns(get_resolver().url_patterns))
    covered = {row.name for row in MATRIX}
    assert sorted(patterns - covered) == [], "URL patterns without a row in MATRIX"
    assert sorted(covered - patterns) == [], "rows for URL patterns that no longer exist"
