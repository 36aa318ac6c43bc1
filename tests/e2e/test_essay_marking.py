"""A quiz with a matching and an essay question, in a real browser, on a phone.

The clerk picks an answer per item, sees 「n / N 問回答済み」 move, is asked before submitting
with the essay blank, writes it, submits and sees 「採点待ち」 once the worker has graded the
rest. The DX PRO of the clerk's unit finds the attempt under 「記述の採点」 and marks it; the
clerk then sees the pass, and the worker completes the enrollment.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from courses.models import AttemptStatus, QuestionType, QuizAttempt
from courses.services import lesson_read_record
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment, EnrollmentStatus
from tests.factories import (
    DxProAssignmentFactory,
    UserFactory,
    make_course,
    make_org_tree,
    make_question,
)
from tests.lms.training import dates

from .conftest import DESKTOP, PHONE

pytestmark = [
    pytest.mark.integration,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
ESSAY = "申請書を電子化し、窓口での記入と待ち時間を減らします。"


def test_essay_waits_for_marking_then_the_course_completes(people, wait_until):
    tree = make_org_tree()
    clerk = UserFactory(employee_number="391001", display_name="窓口 花子", unit=tree["madoguchi"])
    dx_pro = UserFactory(employee_number="391002", display_name="推進 太郎", unit=tree["madoguchi"])
    DxProAssignmentFactory(user=dx_pro, unit=tree["shimin_ka"])
    questions = [
        make_question(QuestionType.MATCHING, name="分類", text="業務と分類を結んでください"),
        make_question(QuestionType.ESSAY, name="改善", text="窓口の改善案を書いてください"),
    ]
    built = make_course(questions=questions, lessons=1, pass_mark=60, slug="e2e-essay")
    course, quiz = built["course"], built["quiz"]
    assignment_fan_out(assignment_id=assignment_create(course=course, enqueue=False, **dates()).pk)
    lesson_read_record(user=clerk, lesson=built["lessons"][0])

    # --- The clerk, on a phone: counter, confirmation, 「採点待ち」 -------------------------
    staff = people("staff", PHONE)
    page = staff.page
    staff.sign_in(clerk.employee_number, PASSWORD)
    staff.goto(quiz.url)
    page.locator(f"form[action$='/quizzes/{quiz.pk}/start/'] button").click()
    page.wait_for_url(re.compile(r"/learn/attempts/\d+/$"))
    staff.axe()
    progress = page.locator("[data-quiz-progress]")
    expect(progress).to_have_text("0 / 2 問回答済み")
    page.get_by_label("窓口の受付").select_option(label="住民サービス")
    expect(progress).to_have_text("0 / 2 問回答済み")  # not until every item is paired
    page.get_by_label("庁内の決裁").select_option(label="内部事務")
    expect(progress).to_have_text("1 / 2 問回答済み")
    submit = page.locator(".quiz-form button[type=submit]:not([formaction])")
    submit.click()
    confirm = page.locator("dialog[data-quiz-confirm]")
    expect(confirm).to_be_visible()
    expect(confirm.locator("[data-quiz-confirm-text]")).to_contain_text("問2")
    staff.axe()
    page.keyboard.press("Escape")  # back to the questions, from the keyboard
    expect(confirm).to_be_hidden()
    expect(page.locator("textarea")).to_be_focused()
    page.locator("textarea").fill(ESSAY)
    expect(progress).to_have_text("2 / 2 問回答済み")
    submit.click()
    expect(page.locator(".quiz-marking")).to_contain_text("採点待ち")
    staff.axe()
    attempt = QuizAttempt.objects.get()
    assert attempt.status == AttemptStatus.MARKING and attempt.passed is None
    assert Enrollment.objects.get(user=clerk).status != EnrollmentStatus.COMPLETED

    # --- The DX PRO marks it ----------------------------------------------------------------
    marker = people("dx_pro", DESKTOP)
    marker.sign_in(dx_pro.employee_number, PASSWORD)
    marker.page.locator("nav.site-nav").get_by_role("link", name="記述の採点").click()
    marker.page.wait_for_url(f"**{reverse('courses:marking_queue')}")
    marker.axe()
    marker.page.get_by_role("link", name=clerk.display_name).click()
    marker.page.wait_for_url(f"**{reverse('courses:marking_detail', args=[attempt.pk])}")
    marker.axe()
    expect(marker.page.locator("main")).to_contain_text(ESSAY)
    marker.page.get_by_label("点数（0〜1点）").fill("1")
    marker.page.get_by_label("受講者へのコメント（任意）").fill("具体的で良い案です")
    marker.page.get_by_role("button", name="採点を保存する").click()
    marker.page.wait_for_url(f"**{reverse('courses:marking_queue')}")
    marker.axe()
    expect(marker.page.locator("main")).to_contain_text("採点を待っている解答はありません。")

    # --- The clerk sees the pass; the worker completes the enrollment ------------------------
    staff.goto(reverse("courses:attempt", args=[attempt.pk]))
    expect(page.locator(".quiz-score--passed")).to_be_visible()
    expect(page.locator("main")).to_contain_text("具体的で良い案です")

    def completed():
        """the worker evaluates the enrollment after the marking"""
        return Enrollment.objects.get(user=clerk).status == EnrollmentStatus.COMPLETED

    wait_until(completed, timeout=30, interval=0.2)
