"""The scheduled reports' beat task on a real Celery worker, on PostgreSQL: run twice, a due
report is sent once (one audit entry, one ``last_sent_on``)."""

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment, ScheduledReport, UnitCourseStats
from lms.tasks import scheduled_reports_send_task, unit_stats_refresh_task
from org.models import RoleGroup
from org.people import Position
from tests.factories import UserFactory
from tests.lms.training import dates, make_city

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_task_run_twice_sends_a_due_report_once(wait_until):
    city = make_city()
    tree = city["tree"]
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    Enrollment.objects.filter(user__unit=tree["madoguchi"]).update(due_on=dt.date(2000, 1, 1))
    hr = UserFactory(groups=[RoleGroup.HR])
    manager = UserFactory(unit=tree["shimin_ka"], position=Position.SECTION_CHIEF)
    today = timezone.localdate()
    report = ScheduledReport.objects.create(
        course=city["course"], unit=tree["shimin_ka"], frequency="weekly",
        weekday=today.weekday(), created_by=hr,
    )  # fmt: skip
    report.recipients.set([hr, manager])
    ScheduledReport.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - dt.timedelta(days=8)
    )

    scheduled_reports_send_task.delay()
    scheduled_reports_send_task.delay()
    # The worker runs one task at a time, in order: once this recount is done, so are both.
    unit_stats_refresh_task.delay(tree["dx_kakari"].pk, city["course"].pk, dates()["fiscal_year"])

    def both_runs_done() -> bool:
        """the worker ran both sends and the recount after them"""
        return UnitCourseStats.objects.filter(unit=tree["dx_kakari"]).exists()

    wait_until(both_runs_done, timeout=60, interval=0.1)
    report.refresh_from_db()
    assert report.last_sent_on == today
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT_XLSX)
    assert events.count() == 1
    assert events.get().details["sent"] == 2
