"""The e-mails that are not reminders: a course assigned (研修のご案内) and a certificate
issued. Each greets the person, says what to do, gives the deadline or the certificate's
number, links under SITE_URL to a page that opens for them, and is signed."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from courses.services import lesson_read_record
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Certificate, Enrollment, EnrollmentStatus
from lms.notices.assignment import assignment_notices_send, assignments_with_notices_pending
from lms.notices.certificate import certificate_notify, completions_to_notify
from lms.tasks import notices_sweep_task
from tests.factories import UserFactory
from tests.helpers.mail import assert_signed, links, path_of
from tests.helpers.quiz import right_responses
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db


def test_people_get_one_e_mail_when_a_course_is_assigned_to_them(
    client, django_capture_on_commit_callbacks
):
    city = make_city()
    UserFactory(unit=city["tree"]["madoguchi"], email="")  # enrolled, nothing to send to
    with django_capture_on_commit_callbacks(execute=True):
        assignment_create(course=city["course"], units=[city["tree"]["shimin_ka"]], **dates(2026))
    people = city["people"]["madoguchi"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    message = next(m for m in mail.outbox if m.to == [people[0].email])
    assert message.subject == "【研修のご案内】DX基礎研修"
    body = message.body
    assert body.startswith(f"{people[0].display_name} 様\n")
    assert "受講期限までに修了してください" in body
    assert "受講期限：2027年3月31日" in body
    assert_signed(body)
    client.force_login(people[0])
    assert path_of(links(body)[0]) == city["course"].url
    assert client.get(path_of(links(body)[0])).status_code == 200
    assert not Enrollment.objects.filter(notified_at__isnull=True).exists()
    assert assignment_notices_send(assignment_id=Enrollment.objects.first().assignment_id) == 0
    assert len(mail.outbox) == 2  # told once


def test_a_new_hire_enrolled_by_the_roster_sync_is_told_and_nobody_else_again(
    django_capture_on_commit_callbacks,
):
    city = make_city()
    assignment = assignment_create(course=city["course"], enqueue=False, **dates(2026))
    assignment_fan_out(assignment_id=assignment.pk)
    assignment_notices_send(assignment_id=assignment.pk)
    mail.outbox.clear()
    hire = UserFactory(unit=city["tree"]["dx_kakari"])
    from lms.tasks import enrollments_sync_task

    with django_capture_on_commit_callbacks(execute=True):
        enrollments_sync_task.delay()
    assert [m.to for m in mail.outbox] == [[hire.email]]
    assert assignments_with_notices_pending() == []


def test_a_cancelled_assignment_tells_nobody():
    city = make_city()
    assignment = assignment_create(course=city["course"], enqueue=False, **dates(2026))
    assignment_fan_out(assignment_id=assignment.pk)
    assignment.status = "cancelled"
    assignment.save(update_fields=["status"])
    assert assignment_notices_send(assignment_id=assignment.pk) == 0
    assert not mail.outbox


def _complete(city, learner, capture):
    from courses.grading.batch import attempts_grade_waiting
    from courses.services import attempt_start, attempt_submit

    for lesson in city["lessons"]:
        with capture(execute=True):
            lesson_read_record(user=learner, lesson=lesson)
    attempt = attempt_start(user=learner, quiz=city["quiz"])
    with capture(execute=True):
        attempt_submit(attempt_id=attempt.pk, user=learner, responses=right_responses(attempt))
    with capture(execute=True):
        attempts_grade_waiting()


def test_a_completion_issues_the_certificate_and_tells_its_holder_once(
    client, django_capture_on_commit_callbacks
):
    city = make_city()
    assignment = assignment_create(course=city["course"], enqueue=False, **dates(2026))
    assignment_fan_out(assignment_id=assignment.pk)
    Enrollment.objects.update(notified_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    learner = city["people"]["jinji_kakari"][0]
    _complete(city, learner, django_capture_on_commit_callbacks)
    enrollment = Enrollment.objects.get(user=learner)
    assert enrollment.status == EnrollmentStatus.COMPLETED
    certificate = Certificate.objects.get(enrollment=enrollment)
    (message,) = mail.outbox
    assert message.to == [learner.email]
    assert message.subject == "修了証を発行しました：DX基礎研修"
    body = message.body
    assert body.startswith(f"{learner.display_name} 様\n")
    assert f"証書番号：{certificate.serial}" in body
    assert "修了日：" in body
    assert_signed(body)
    link = links(body)[0]
    assert path_of(link) == reverse("lms:certificate_download", args=[enrollment.pk])
    client.force_login(learner)
    assert client.get(path_of(link))["Content-Type"] == "application/pdf"
    assert certificate_notify(enrollment_id=enrollment.pk) is False
    assert completions_to_notify() == []
    assert notices_sweep_task.delay().get() == 0
    assert len(mail.outbox) == 1
