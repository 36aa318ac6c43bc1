"""The main flows in a real browser, from HR's roster upload to HR's dashboard.

HR uploads a small roster on the upload page and applies it, then assigns the mandatory course
to one section (its clerks). A clerk of that section signs in, reads both lessons, takes the
quiz (graded by the Celery worker process; the result page shows it when it is ready), writes
and submits an SVO worksheet. The DX PRO of the section (appointed by the roster's DX PRO
column) approves it from the review queue. HR's dashboard then shows the section complete.

Run twice: in Japanese (the default) at a desktop size, and in English (chosen with the header's
language switch) at a phone size. Every page anyone sees is checked with axe-core (see
``conftest.Person.axe``), plus the guidebook, the course index and the HR pages not on the path.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from core.fiscal import current_fiscal_year
from courses.models import QuestionType, QuizAttempt, SvoWorksheet
from lms.models import Enrollment, UnitCourseStats, User
from org.models import OrgUnit, RosterImport
from tests.factories import (
    GOOD_STATEMENT,
    UserFactory,
    make_course,
    make_question,
    make_svo_exercise,
)

from .conftest import DESKTOP, PHONE

# serialized_rollback: Wagtail's root page, locale and home page come from data migrations, and
# a transactional test's flush removes them.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
LEARNER, DX_PRO, OTHER = "310001", "310002", "310003"
ROSTER_HEADER = "職員番号,氏名,フリガナ,メールアドレス,部,課,係,職名,雇用区分,DX PRO"
ROSTER_LINES = [
    (LEARNER, "窓口 花子", "マドグチ ハナコ", "hanako@city.example.jp", "市民部", "市民課",
     "窓口係", "主事", "正規", ""),
    (DX_PRO, "推進 一郎", "スイシン イチロウ", "ichiro@city.example.jp", "市民部", "市民課",
     "窓口係", "係長", "正規", "1"),
    (OTHER, "人事 次郎", "ジンジ ジロウ", "jiro@city.example.jp", "総務部", "人事課",
     "人事係", "主事", "正規", ""),
]  # fmt: skip


def roster_csv() -> bytes:
    """A small roster as HR's system exports it: UTF-8 with a byte-order mark, CRLF."""
    lines = [ROSTER_HEADER, *(",".join(line) for line in ROSTER_LINES)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def build_course():
    """The mandatory course: two lessons, a quiz of two questions, an SVO exercise."""
    questions = [
        make_question(QuestionType.SINGLE, name="e2e-single", text="DXの本質はどれですか。"),
        make_question(QuestionType.SHORT, name="e2e-short", text="デジタル変革の略語は？"),
    ]
    parts = make_course(title="DX基礎研修", slug="dx-basics", questions=questions, pass_mark=60)
    course = parts["course"]
    course.require_worksheet = True
    course.save_revision().publish()
    parts["exercise"] = make_svo_exercise(course, min_statements=1, max_statements=3)
    return parts


def build_guidebook():
    from devtools.demo.guidebook import guidebook_seed

    guidebook_seed(fiscal_year=current_fiscal_year())


FLOWS = [
    pytest.param("ja", DESKTOP, id="ja-desktop"),
    pytest.param("en", PHONE, id="en-phone"),
]


@pytest.mark.parametrize(("language", "viewport"), FLOWS)
def test_roster_to_completed_section(people, wait_until, language, viewport):
    parts = build_course()
    course, quiz, exercise = parts["course"], parts["quiz"], parts["exercise"]
    build_guidebook()
    hr_user = UserFactory(employee_number="390001", display_name="人事 課員", groups=["HR"])
    year = current_fiscal_year()

    # --- HR: sign in, upload the roster, check the preview, apply it ----------------------
    hr = people("hr", viewport)
    hr.sign_in(hr_user.employee_number, PASSWORD, language=language)
    expect(hr.page.locator("html")).to_have_attribute("lang", language)
    hr.goto("/hr/roster/import/")
    hr.page.locator("input[type=file][name=file]").set_input_files(
        {"name": "roster.csv", "mimeType": "text/csv", "buffer": roster_csv()}
    )
    hr.page.locator("main form[enctype] button[type=submit]").click()
    hr.page.wait_for_url(re.compile(r"/hr/roster/import/\d+/$"))
    # The worker parses the file; the page polls and reloads itself when the preview is ready.
    apply_button = hr.page.locator("form[action$='/apply/'] button[type=submit]")
    expect(apply_button).to_be_visible()
    hr.axe()
    expect(hr.page.locator(".stats .stat__value").nth(1)).to_have_text("3")  # 3 new people
    apply_button.click()
    expect(hr.page.locator("[data-finished=true]")).to_be_visible()
    hr.axe()
    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.APPLIED, roster_import.status
    assert roster_import.created_count == 3
    hr.goto("/hr/roster/")
    expect(hr.page.locator("main")).to_contain_text("窓口 花子")

    # People from the roster set their first password through the reset e-mail; here directly.
    for number in (LEARNER, DX_PRO):
        user = User.objects.get(employee_number=number)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    section = OrgUnit.objects.get(name="市民課")

    # --- HR: assign the course to the clerks of 市民課 -----------------------------------------
    hr.goto("/hr/assignments/")
    form = hr.page.locator("form.assignment-form")
    form.locator("select[name=course]").select_option(str(course.pk))
    # Units are checkboxes folded under their 部: open 市民部, tick 市民課.
    form.locator(".unit-picker summary", has_text="市民部").click()
    form.locator(f"input[name=units][value='{section.pk}']").check()
    form.locator("input[name=positions][value=clerk]").check()
    form.locator("input[name=opens_on]").fill(dt.date(year, 4, 1).isoformat())
    form.locator("input[name=due_on]").fill(dt.date(year + 1, 3, 31).isoformat())
    expect(form.locator("input[name=mandatory]")).to_be_checked()
    # First the count of who will be enrolled, then the assignment itself.
    form.locator("button[name=step][value=preview]").click()
    form = hr.page.locator("form.assignment-form")
    expect(form.locator(".preview h3")).to_contain_text("1")
    expect(form.locator(".preview")).to_contain_text("市民課")
    hr.axe()
    form.locator("button[name=step][value=assign]").click()
    expect(hr.page.locator(".messages .message--success")).to_be_visible()
    hr.axe()

    def enrolled():
        """the worker fans the assignment out to the one clerk of 市民課"""
        return Enrollment.objects.filter(course=course, fiscal_year=year).count() == 1

    wait_until(enrolled, timeout=30, interval=0.1)
    assert Enrollment.objects.get().user.employee_number == LEARNER

    # --- The clerk: my training, lessons, quiz, worksheet ---------------------------------
    staff = people("staff", viewport)
    staff.sign_in(LEARNER, PASSWORD, language=language)
    expect(staff.page.locator("html")).to_have_attribute("lang", language)
    staff.goto("/")
    item = staff.page.locator(".training-item")
    expect(item).to_contain_text(course.title)
    item.locator("a.button").click()
    staff.page.wait_for_url(f"**{course.url}")
    staff.axe()
    for lesson in parts["lessons"]:
        staff.page.locator(f".course-parts a[href='{lesson.url}']").click()
        staff.page.wait_for_url(f"**{lesson.url}")
        staff.axe()
        staff.page.locator(f"form[action$='/lessons/{lesson.pk}/read/'] button").click()
        expect(staff.page.locator(".status--done")).to_be_visible()
        staff.axe()
        staff.page.locator(".breadcrumbs a").click()
        staff.page.wait_for_url(f"**{course.url}")
    expect(staff.page.locator(".course-parts .badge--done")).to_have_count(2)

    staff.page.locator(f".course-parts a[href='{quiz.url}']").click()
    staff.page.wait_for_url(f"**{quiz.url}")
    staff.axe()
    staff.page.locator(f"form[action$='/quizzes/{quiz.pk}/start/'] button").click()
    staff.page.wait_for_url(re.compile(r"/learn/attempts/\d+/$"))
    staff.axe()
    staff.page.get_by_label("業務の見直し").check()
    submit = staff.page.locator(".quiz-form button[type=submit]:not([formaction])")
    # A question left blank: the page asks before it submits, and 「回答に戻る」 submits nothing.
    submit.click()
    confirm = staff.page.locator("dialog[data-quiz-confirm]")
    expect(confirm).to_be_visible()
    expect(confirm.locator("[data-quiz-confirm-text]")).to_contain_text(
        re.compile(r"(問|Question )2")
    )
    staff.axe()
    confirm.locator("[data-quiz-confirm-back]").click()
    expect(confirm).to_be_hidden()
    assert QuizAttempt.objects.get().submitted_at is None
    staff.page.locator(".quiz-question input[type=text]").fill("ＤＸ")  # full width: normalised
    submit.click()
    # Submit returns at once; the worker grades and the page shows the result when it is ready.
    expect(staff.page.locator(".quiz-score--passed")).to_be_visible()
    staff.axe()
    attempt = QuizAttempt.objects.get()
    assert attempt.passed is True and attempt.user.employee_number == LEARNER

    staff.goto(exercise.url)
    staff.page.locator(f"a[href$='/learn/svo/{exercise.pk}/']").click()
    staff.page.wait_for_url(f"**/learn/svo/{exercise.pk}/")
    staff.axe()
    row = staff.page.locator("[data-svo-row]").first
    for name in ("subject", "verb", "object", "count_per_year", "minutes_per_case"):
        row.locator(f"input[name=s-0-{name}]").fill(str(GOOD_STATEMENT[name]))
    for name in ("medium", "frequency", "idea_type"):
        row.locator(f"select[name=s-0-{name}]").select_option(GOOD_STATEMENT[name])
    row.locator("input[name=s-0-beneficiary]").fill(GOOD_STATEMENT["beneficiary"])
    for name in ("purpose", "idea", "expected_effect"):
        row.locator(f"textarea[name=s-0-{name}]").fill(GOOD_STATEMENT[name])
    staff.page.locator("button[name=action][value=submit]").click()
    expect(staff.page.locator("p.status--submitted")).to_be_visible()
    staff.axe()

    # --- The DX PRO of 市民課: review queue, approve -------------------------------------------
    pro = people("dx-pro", viewport)
    pro.sign_in(DX_PRO, PASSWORD, language=language)
    pro.goto("/review/")
    pro.page.get_by_role("link", name="窓口 花子").click()
    pro.page.wait_for_url(re.compile(r"/review/\d+/$"))
    pro.axe()
    pro.page.locator("textarea[name^=c-]").first.fill("目的が住民の側から書けています。")
    pro.page.locator("textarea[name=comment]").fill("よくできています。承認します。")
    pro.page.locator("button[name=decision][value=approved]").click()
    confirm = pro.page.locator("button[name=confirmed]")  # the decision is confirmed first
    expect(confirm).to_be_visible()
    pro.axe()
    confirm.click()
    expect(pro.page.locator(".messages .message--success")).to_be_visible()
    pro.axe()
    pro.goto("/review/")
    worksheet = SvoWorksheet.objects.get()
    assert worksheet.status == "approved", worksheet.status

    # --- Completion reaches the learner and HR's dashboard --------------------------------
    def completed():
        """the worker completes the enrollment and updates the section's figures"""
        return UnitCourseStats.objects.filter(
            unit__name="窓口係", course=course, fiscal_year=year, enrolled=1, completed=1
        ).exists()

    wait_until(completed, timeout=30, interval=0.1)
    staff.goto("/")
    expect(staff.page.locator(f"a[href$='/certificates/{Enrollment.objects.get().pk}.pdf']"))\
        .to_be_visible()  # fmt: skip

    hr.goto(f"/hr/training/?year={year}&course={course.pk}")
    department = hr.page.locator("table tbody tr", has_text="市民部")
    expect(department.locator("meter")).to_have_attribute("value", "100")
    department.get_by_role("link", name="市民部").click()
    hr.page.wait_for_url(re.compile(r"unit=\d+"))
    hr.axe()
    section_row = hr.page.locator("table tbody tr", has_text="市民課").first
    expect(section_row.locator("meter")).to_have_attribute("value", "100")
    expect(section_row.locator("td.num").first).to_have_text("1")

    # --- The remaining pages of each role -------------------------------------------------
    for path in ("/hr/roster/", "/hr/assignments/", "/hr/reading/", "/hr/reminders/"):
        hr.goto(path)
    for path in ("/courses/", course.url, "/guide/"):
        staff.goto(path)
    staff.page.locator(".edition-card__title a").first.click()
    staff.page.wait_for_url("**/guide/*/")
    staff.axe()
    staff.page.locator("main a.button").first.click()  # "start reading": the first chapter
    staff.page.wait_for_url("**/guide/*/*/")
    staff.axe()
    staff.goto("/guide/glossary/")
    pro.goto("/")
    pro.goto(f"/hr/training/?year={year}&course={course.pk}")
    people.audit.assert_clean()
