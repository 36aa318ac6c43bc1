"""The broker (Redis) stopped while a learner finishes a course and while HR assigns or
cancels a course: every request answers as usual, the change and its audit entry are
committed, and the work it needs is recorded (``core.queue``) instead of lost. Once Redis is
back, the sweep beat sends every minute hands that work to a real worker, which completes
the course, enrols the unit's people or recounts the figures.

One throwaway ``redis-server`` and one worker serve the whole module (``FaultRig`` of
``test_faults``); each test stops that Redis (a real refused connection for every send) and
starts it again on the same port, and the worker rides out the outage. The sweep is sent as
beat sends it, by the name of its schedule entry, rather than waiting a minute for beat.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from core.models import QueuedTask
from courses.models import LessonChapter, LessonRead
from lms.completion.figures import stats_differences, stats_rebuild
from lms.enrolment.services import assignment_create, assignment_fan_out, enrollment_set_status
from lms.models import (
    Assignment,
    AssignmentStatus,
    Enrollment,
    EnrollmentStatus,
    FanOutStatus,
    UnitCourseStats,
)
from org.models import RoleGroup
from tests.factories import UserFactory, make_course
from tests.factories.lms import OrgUnitFactory
from tests.helpers.guidebook import make_chapter
from tests.helpers.processes import forget_broker_connections
from tests.helpers.quiz import republish
from tests.integration.test_faults import FaultRig, _wait
from tests.lms.training import dates

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SWEEP = settings.CELERY_BEAT_SCHEDULE["core-queued-tasks-sweep"]["task"]


@pytest.fixture(scope="module")
def broker(live_celery_worker, tmp_path_factory):
    """A throwaway Redis with a worker of its own; this process's Celery app sends to it."""
    from config.celery_app import app

    rig = FaultRig(tmp=tmp_path_factory.mktemp("broker-outage"))
    saved = {key: app.conf[key] for key in ("broker_url", "task_default_queue")}
    app.conf.update(broker_url=rig.broker_url, task_default_queue=rig.queue)
    forget_broker_connections(app)
    try:
        rig.redis_start()
        rig.worker_start("worker")
        yield rig
    finally:
        rig.stop_all()
        app.conf.update(saved)
        forget_broker_connections(app)


@pytest.fixture
def outage(broker):
    """``outage.start()`` stops Redis; ``outage.end()`` starts it again and sends the sweep
    as beat does. A test that fails in the middle leaves Redis running for the next one."""

    class Outage:
        def start(self) -> None:
            broker.redis_stop()

        def end(self) -> None:
            from config.celery_app import app

            broker.redis_start()
            app.send_task(SWEEP)

        def settled(self, predicate, *, what: str) -> None:
            """Wait until ``predicate`` holds and no recorded work is left."""
            _wait(
                lambda: predicate() and not QueuedTask.objects.exists(),
                timeout=30,
                what=what,
                log=broker.logs(),
            )

    yield Outage()
    if broker.redis is None:
        broker.redis_start()


def _waiting(task: str) -> QueuedTask:
    """The one piece of ``task`` work recorded and not handed to the broker."""
    [row] = QueuedTask.objects.filter(task=task)
    assert row.sent_at is None and row.failed_at is None, row
    return row


# --- a) the last lesson read while Redis is down -------------------------------------------


@pytest.mark.parametrize("route", ["lesson button", "guidebook chapter"])
def test_the_last_lesson_read_while_redis_is_down_completes_the_course_once_it_is_back(
    outage, client, route
):
    unit = OrgUnitFactory.create(name="窓口係")
    learner = UserFactory(unit=unit)
    parts = make_course(lessons=2, slug="broker-lessons")
    course, (first, last) = parts["course"], parts["lessons"]
    course.require_quiz = False  # its lessons complete it
    course.save()
    year = dates()["fiscal_year"]
    assignment = assignment_create(course=course, units=[unit], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    enrollment = Enrollment.objects.get(user=learner)
    # The first lesson was read earlier, and its evaluation done.
    LessonRead.objects.create(user=learner, lesson=first, fiscal_year=year)
    enrollment_set_status(
        enrollment=enrollment, status=EnrollmentStatus.IN_PROGRESS, progress=50, refresh_stats=False
    )
    stats_rebuild(fiscal_year=year, course_id=course.pk)
    client.force_login(learner)
    client.cookies["django_language"] = "en"
    if route == "guidebook chapter":
        from content.models import GuidebookIndexPage, GuidebookPage

        edition = GuidebookPage(title="概要版", slug="broker-edition", edition="summary")
        GuidebookIndexPage.objects.get(slug="guide").add_child(instance=edition)
        edition.save_revision().publish()
        chapter = make_chapter(edition, title="第一章", slug="one", body=[])
        last = republish(last, chapter_links=[LessonChapter(chapter=chapter)])

    outage.start()  # --------------------------------------------------------------- outage
    if route == "lesson button":
        read = client.post(reverse("courses:lesson_read", args=[last.pk]), follow=True)
        assert read.status_code == 200
        assert "Lesson marked as read." in read.text
    else:
        read = client.post(
            reverse("content:chapter_read", args=[chapter.pk]),
            data=json.dumps({"seconds_active": 120, "reached_end": True}),
            content_type="application/json",
        )
        assert read.status_code == 200
        assert read.json()["ok"] is True
    assert last.reads.filter(user=learner, fiscal_year=year).exists()
    row = _waiting("lms.enrollment_evaluate")  # recorded with the read, for the sweep
    assert row.args == [learner.pk, course.pk, year, 0]  # the year's first cycle
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.IN_PROGRESS
    page = client.get(course.url)
    assert page.status_code == 200
    assert "You have completed this course" not in page.text

    outage.end()  # ------------------------------------------------------------- back again

    def completed() -> bool:
        enrollment.refresh_from_db()
        return enrollment.status == EnrollmentStatus.COMPLETED

    outage.settled(completed, what="the sweep sends the evaluation and the worker completes")
    assert enrollment.unit_at_completion_id == unit.pk
    assert enrollment.completed_at is not None
    figures = UnitCourseStats.objects.get(unit=unit, course=course, fiscal_year=year)
    assert (figures.completed, figures.in_progress) == (1, 0)
    assert stats_differences() == []
    page = client.get(course.url)
    assert "You have completed this course" in page.text
    download = reverse("lms:certificate_download", args=[enrollment.pk])
    assert download in page.text  # the certificate is issued when first downloaded


# --- b) and c) HR assigns and cancels while Redis is down ------------------------------------


def _hr_city() -> dict:
    """Two people in 窓口係, one in 人事係, and HR."""
    madoguchi = OrgUnitFactory.create(name="窓口係")
    jinji = OrgUnitFactory.create(name="人事係")
    return {
        "madoguchi": madoguchi,
        "jinji": jinji,
        "staff": [UserFactory(unit=madoguchi), UserFactory(unit=madoguchi)],
        "elsewhere": UserFactory(unit=jinji),
        "hr": UserFactory(groups=[RoleGroup.HR]),
        "course": make_course(lessons=1, slug="broker-assign")["course"],
    }


def test_an_assignment_made_while_redis_is_down_is_saved_and_enrols_once_it_is_back(outage, client):
    city = _hr_city()
    client.force_login(city["hr"])
    client.cookies["django_language"] = "en"
    values = dates()
    form = {
        "course": city["course"].pk,
        "fiscal_year": values["fiscal_year"],
        "units": [city["madoguchi"].pk],
        "opens_on": values["opens_on"].isoformat(),
        "due_on": values["due_on"].isoformat(),
        "mandatory": "on",
    }
    url = reverse("lms:assignments")
    assert client.get(url).status_code == 200

    outage.start()  # --------------------------------------------------------------- outage
    preview = client.post(url, {**form, "step": "preview"})
    assert preview.status_code == 200
    assert "2 people will be enrolled" in preview.text
    saved = client.post(url, {**form, "step": "assign"})
    assert saved.status_code == 302
    assert saved.url == url
    listing = client.get(url)
    assert "The assignment was saved; staff are being enrolled." in listing.text
    assert "Enrolment job: Waiting" in listing.text
    assignment = Assignment.objects.get()
    assert assignment.created_by == city["hr"]
    assert AuditEvent.objects.filter(
        action=AuditAction.ASSIGNMENT_CREATED,
        actor=city["hr"],
        target_id=str(assignment.pk),
    ).exists()
    row = _waiting("lms.assignment_fan_out")
    assert row.args == [assignment.pk]
    assert not Enrollment.objects.exists()

    outage.end()  # ------------------------------------------------------------- back again

    def fanned_out() -> bool:
        assignment.refresh_from_db()
        return assignment.fan_out_status == FanOutStatus.DONE

    outage.settled(fanned_out, what="the sweep sends the fan-out and the worker enrols")
    enrolled = Enrollment.objects.filter(assignment=assignment)
    assert set(enrolled.values_list("user_id", flat=True)) == {p.pk for p in city["staff"]}
    assert assignment.enrolled_count == 2
    figures = UnitCourseStats.objects.get(unit=city["madoguchi"], course=city["course"])
    assert (figures.enrolled, figures.not_started) == (2, 2)
    assert "Enrolment job: Done" in client.get(url).text


def test_an_assignment_cancelled_while_redis_is_down_withdraws_and_is_recounted_once_back(
    outage, client
):
    city = _hr_city()
    course, madoguchi = city["course"], city["madoguchi"]
    values = dates()
    assignment = assignment_create(
        course=course, units=[madoguchi], created_by=city["hr"], enqueue=False, **values
    )
    assignment_fan_out(assignment_id=assignment.pk)
    done, open_ = (Enrollment.objects.get(user=person) for person in city["staff"])
    enrollment_set_status(enrollment=done, status=EnrollmentStatus.COMPLETED, refresh_stats=False)
    stats_rebuild(fiscal_year=values["fiscal_year"], course_id=course.pk)
    client.force_login(city["hr"])
    client.cookies["django_language"] = "en"
    url = reverse("lms:assignment_cancel", args=[assignment.pk])

    outage.start()  # --------------------------------------------------------------- outage
    confirm = client.get(url)
    assert confirm.status_code == 200
    cancelled = client.post(url)
    assert cancelled.status_code == 302
    assert cancelled.url == reverse("lms:assignments")
    listing = client.get(cancelled.url)
    assert "The assignment was cancelled; 1 open enrolments were withdrawn." in listing.text
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CANCELLED
    assert AuditEvent.objects.filter(
        action=AuditAction.ASSIGNMENT_CANCELLED,
        actor=city["hr"],
        target_id=str(assignment.pk),
        details={"withdrawn": 1},
    ).exists()
    open_.refresh_from_db()
    done.refresh_from_db()
    assert open_.status == EnrollmentStatus.WITHDRAWN
    assert done.status == EnrollmentStatus.COMPLETED  # a completion stays
    row = _waiting("lms.stats_rebuild")  # the figures still count the withdrawn one
    assert row.args == [values["fiscal_year"], course.pk]
    assert UnitCourseStats.objects.get(unit=madoguchi, course=course).enrolled == 2

    outage.end()  # ------------------------------------------------------------- back again

    def recounted() -> bool:
        return UnitCourseStats.objects.get(unit=madoguchi, course=course).enrolled == 1

    outage.settled(recounted, what="the sweep sends the recount and the worker recounts")
    figures = UnitCourseStats.objects.get(unit=madoguchi, course=course)
    assert (figures.completed, figures.not_started) == (1, 0)
    assert stats_differences() == []
