"""SCORM lessons in a real browser: launch, answer half, close, resume, complete.

A course of two SCORM lessons (the SCORM 1.2 and SCORM 2004 4th edition packages under
tests/data/scorm, each a real package with two questions) is assigned to a clerk of 窓口係. The
clerk opens the 1.2 lesson, answers the first question and closes the tab; opening the lesson
again resumes at the second question (the package reads ``cmi.core.lesson_location`` that the
server kept). Answering it passes the package, the lesson is done; the 2004 lesson is taken
in one go. The course completes (the real Celery worker), the course page says so, and HR's
dashboard shows 窓口係's department at 100%. Every page is checked with axe.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.fiscal import current_fiscal_year
from courses.models import LessonRead, ScormAttempt, ScormLessonPage, ScormPackage
from lms.completion.figures import stats_rebuild
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment, EnrollmentStatus, UnitCourseStats
from org.models import RoleGroup
from tests.courses.scorm.helpers import make_scorm_lesson
from tests.factories import UserFactory, make_course, make_org_tree
from tests.lms.training import dates

from .conftest import DESKTOP, PHONE

pytestmark = [
    pytest.mark.integration,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"


def _course():
    tree = make_org_tree()
    course = make_course(title="情報セキュリティ研修", slug="e2e-scorm", lessons=0)["course"]
    course.require_quiz = False
    course.save_revision().publish()
    course.refresh_from_db()
    lesson12 = make_scorm_lesson(course, "scorm12", rule="passed")
    lesson2004 = make_scorm_lesson(course, "scorm2004", rule="completed")
    staff = UserFactory(employee_number="391001", display_name="窓口 学子", unit=tree["madoguchi"])
    hr = UserFactory(employee_number="391002", display_name="人事 課員", groups=["HR"])
    assignment = assignment_create(course=course, enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    stats_rebuild()
    return course, lesson12, lesson2004, staff, hr


def test_scorm_lessons_resume_and_complete_the_course(people, wait_until):
    course, lesson12, lesson2004, staff_user, hr_user = _course()
    year = current_fiscal_year()
    staff = people("staff", PHONE)
    staff.sign_in(staff_user.employee_number, PASSWORD)

    # --- SCORM 1.2: answer the first question, then close the tab ------------------------
    staff.goto(lesson12.url)
    frame = staff.page.frame_locator("iframe.scorm-frame")
    expect(frame.get_by_text("問1 不審なメールの添付ファイルはどうしますか。")).to_be_visible()
    frame.get_by_label("開かずに情報政策課へ報告する").check()
    frame.get_by_role("button", name="次へ").click()
    expect(frame.get_by_text("問2 USBメモリを庁外へ持ち出すときは。")).to_be_visible()

    def saved_half():
        """the commit of the first answer reached the server"""
        return ScormAttempt.objects.filter(user=staff_user, lesson=lesson12, location="q2").exists()

    wait_until(saved_half, timeout=20, interval=0.1)
    context = staff.page.context
    staff.page.close()
    assert not LessonRead.objects.filter(user=staff_user).exists()

    # --- Open it again: it resumes at the second question ---------------------------------
    staff.page = context.new_page()
    staff.goto(lesson12.url)
    expect(staff.page.locator("[data-scorm-status]")).to_have_text("前回の続きから再開します。")
    frame = staff.page.frame_locator("iframe.scorm-frame")
    expect(frame.get_by_text("前回の続きから再開しました。")).to_be_visible()
    expect(frame.get_by_text("問1 不審なメールの添付ファイルはどうしますか。")).to_be_hidden()
    frame.get_by_label("所属長の承認を得て暗号化する").check()
    frame.get_by_role("button", name="採点して終了").click()
    expect(frame.get_by_text("終了しました。得点 100 点")).to_be_visible()
    expect(staff.page.locator("[data-scorm-status]")).to_have_text("この教材は修了しています。")
    staff.axe()
    attempt = ScormAttempt.objects.get(user=staff_user, lesson=lesson12)
    assert (attempt.lesson_status, attempt.score) == ("passed", 100)
    assert attempt.cmi["suspend_data"] == '{"q1":"report","q2":"approval"}'
    assert LessonRead.objects.get(user=staff_user, lesson=lesson12).via == "scorm"
    assert Enrollment.objects.get(user=staff_user).status != EnrollmentStatus.COMPLETED

    # --- SCORM 2004 in one go, on a laptop -------------------------------------------------
    laptop = people("staff-laptop", DESKTOP)
    laptop.sign_in(staff_user.employee_number, PASSWORD)
    laptop.goto(lesson2004.url)
    frame = laptop.page.frame_locator("iframe.scorm-frame")
    frame.get_by_label("本人確認をしてから対応する").check()
    frame.get_by_role("button", name="次へ").click()
    frame.get_by_label("シュレッダーか溶解処理").check()
    frame.get_by_role("button", name="採点して終了").click()
    expect(laptop.page.locator("[data-scorm-status]")).to_have_text("この教材は修了しています。")
    laptop.axe()
    attempt = ScormAttempt.objects.get(user=staff_user, lesson=lesson2004)
    assert (attempt.completion_status, attempt.success_status) == ("completed", "passed")
    assert attempt.score == 100

    # --- The course completes; the learner and HR see it -----------------------------------
    def completed():
        """the worker completes the enrollment and updates the section's figures"""
        return UnitCourseStats.objects.filter(
            unit__name="窓口係", course=course, fiscal_year=year, enrolled=1, completed=1
        ).exists()

    wait_until(completed, timeout=30, interval=0.1)
    assert Enrollment.objects.get(user=staff_user).status == EnrollmentStatus.COMPLETED
    laptop.goto(course.url)
    expect(laptop.page.get_by_role("heading", name="この研修を修了しました")).to_be_visible()
    expect(laptop.page.locator(".course-part .badge--done")).to_have_count(2)

    hr = people("hr", DESKTOP)
    hr.sign_in(hr_user.employee_number, PASSWORD)
    hr.goto(f"/hr/training/?year={year}&course={course.pk}")
    department = hr.page.locator("table tbody tr", has_text="市民部")
    expect(department.locator("meter")).to_have_attribute("value", "100")
    people.audit.assert_clean()


def test_the_package_runs_under_the_real_content_security_policy(browser, live_server):
    """The other test's browser bypasses the CSP (axe is injected inline); this one keeps it:
    the runtime runs under the site's policy, the package under its own, and the browser
    reports no violation."""
    course = make_course(title="個人情報研修", slug="e2e-scorm-csp", lessons=0)["course"]
    lesson = make_scorm_lesson(course, "scorm2004")
    learner = UserFactory(employee_number="391101")
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    try:
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda message: problems.append(message.text)
                if message.type == "error" else None)  # fmt: skip
        page.on("pageerror", lambda error: problems.append(str(error)))
        # The browser asks for /favicon.ico on its own; every other 404 is a problem.
        missing: list[str] = []
        page.on(
            "response",
            lambda r: (
                missing.append(r.url)
                if r.status >= 400 and not r.url.endswith("/favicon.ico")
                else None
            ),
        )
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("input[name=username]").fill(learner.employee_number)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        response = page.goto(f"{live_server.url}{lesson.url}")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        frame = page.frame_locator("iframe.scorm-frame")
        frame.get_by_label("本人確認をしてから対応する").check()
        frame.get_by_role("button", name="次へ").click()
        expect(page.locator("[data-scorm-status]")).to_have_text("学習の進み具合を保存しました。")
        assert ScormAttempt.objects.get(user=learner).location == "p2"
        assert missing == []
        assert [text for text in problems if "404" not in text] == []
    finally:
        context.close()


def test_an_editor_uploads_a_package_in_the_cms(people, tmp_path):
    """An editor adds a SCORM lesson to a course in the CMS: a zip whose manifest has no
    <item> is refused in Japanese, naming the zip, the manifest and the element; the vendor's
    real zip is taken and the lesson saved with it."""
    from tests.courses.scorm.helpers import manifest_of, package_zip

    from .test_editor_journey import WAGTAIL_ADMIN

    course = make_course(title="ハラスメント防止研修", slug="e2e-scorm-cms", lessons=0)["course"]
    editor_user = UserFactory(
        employee_number="391201", display_name="編集 担当", groups=[RoleGroup.EDITORS]
    )
    broken = tmp_path / "broken.zip"
    manifest = (
        manifest_of("scorm12").replace("<item ", "<notitem ").replace("</item>", "</notitem>")
    )
    broken.write_bytes(package_zip("scorm12", replace={"imsmanifest.xml": manifest}))
    good = tmp_path / "harassment.zip"
    good.write_bytes(package_zip("scorm2004"))

    editor = people("editor", DESKTOP)
    editor.sign_in(editor_user.employee_number, PASSWORD)
    editor.goto(f"/cms/pages/add/courses/scormlessonpage/{course.pk}/", accept=WAGTAIL_ADMIN)
    editor.page.locator("#id_title").fill("ハラスメント防止")
    # A Japanese title gives no slug of itself: the editor types one on the promote tab.
    editor.page.get_by_role("tab", name="プロモート").click()
    editor.page.locator("#id_slug").fill("harassment")
    editor.page.get_by_role("tab", name="コンテンツ").click()
    editor.page.locator("#id_package_upload").set_input_files(str(broken))
    editor.page.get_by_role("button", name="下書きを保存").click()
    editor.page.wait_for_load_state("load")
    expect(editor.page.locator("main")).to_contain_text(
        "broken.zip：imsmanifest.xml の <organization> に <item> がありません。"
    )
    # Wagtail's red "could not be created" banner and its "go to the first error" button
    # (white on #ce4a4a, 4.46:1; lighter while it fades in) are Wagtail's own, like the rest
    # of WAGTAIL_ADMIN.
    editor.axe(
        accept=(
            *WAGTAIL_ADMIN,
            ("color-contrast", r"^\.error$"),
            ("color-contrast", r"^\.w-ml-2|^\.error > \.button-small$"),
        )
    )
    # Wagtail's autosave may have kept a draft of the page meanwhile, never with that zip.
    assert not ScormPackage.objects.exists()

    editor.page.locator("#id_package_upload").set_input_files(str(good))
    editor.page.get_by_role("button", name="下書きを保存").click()
    expect(editor.page.locator("main")).to_contain_text("現在の教材：harassment.zip")
    editor.axe(accept=WAGTAIL_ADMIN)
    lesson = ScormLessonPage.objects.get(package__isnull=False)
    assert lesson.title == "ハラスメント防止" and lesson.get_parent().pk == course.pk
    assert lesson.package.version == "2004-4"
    assert lesson.package.uploaded_by == editor_user
    people.audit.assert_clean()
