"""Reminders: one digest per person, escalation, HR's 受講のお願い, idempotent, Tokyo days."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment, ReminderKind, ReminderLog
from lms.reminders.services import reminder_send_manual, reminders_send_daily
from org.models import OrgUnitKind, RoleGroup
from org.people import Position
from tests.factories import DxProAssignmentFactory, OrgUnitFactory, UserFactory, make_course
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def city():
    city = make_city()
    for course in (city["course"], make_course(title="第二", slug="second", lessons=1)["course"]):
        assignment = assignment_create(course=course, enqueue=False, **dates())
        assignment_fan_out(assignment_id=assignment.pk)
    return city


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TOKYO)


def test_one_digest_per_person_and_a_rerun_sends_nothing(city):
    today = dt.date(2026, 6, 1)
    person = city["people"]["madoguchi"][0]
    Enrollment.objects.filter(user=person).update(due_on=today + dt.timedelta(days=3))
    other = city["people"]["dx_kakari"][0]
    Enrollment.objects.filter(user=other).update(due_on=today - dt.timedelta(days=2))
    Enrollment.objects.filter(user=city["people"]["jinji_kakari"][0]).update(
        due_on=today + dt.timedelta(days=5)  # not a reminder day
    )
    assert reminders_send_daily(now=_at(today)) == {"digest": 2, "escalation": 0}
    assert len(mail.outbox) == 2
    digest = next(m for m in mail.outbox if m.to == [person.email])
    assert "DX基礎研修" in digest.body and "第二" in digest.body  # both courses, one e-mail
    assert reminders_send_daily(now=_at(today, 18)) == {"digest": 0, "escalation": 0}
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.filter(kind=ReminderKind.DIGEST).count() == 2


def test_the_day_is_the_tokyo_day(city):
    person = city["people"]["madoguchi"][0]
    Enrollment.objects.filter(user=person).update(due_on=dt.date(2026, 6, 8))
    # 23:30 UTC on May 31 is 08:30 on June 1 in Tokyo: 7 days before the due date.
    late_utc = dt.datetime(2026, 5, 31, 23, 30, tzinfo=dt.UTC)
    assert reminders_send_daily(now=late_utc)["digest"] == 1
    assert ReminderLog.objects.get().sent_on == dt.date(2026, 6, 1)
    # 14:00 UTC on June 1 is 23:00 in Tokyo: still June 1, nothing more.
    assert reminders_send_daily(now=dt.datetime(2026, 6, 1, 14, tzinfo=dt.UTC))["digest"] == 0


def test_long_overdue_escalates_to_the_section_chief_and_dx_pro(city, settings):
    settings.LMS_REMINDER_ESCALATION_DAYS = 10
    today = dt.date(2026, 6, 1)
    person = city["people"]["jinji_kakari"][0]
    Enrollment.objects.filter(user=person).update(due_on=today - dt.timedelta(days=20))
    pro = UserFactory(unit=city["tree"]["dx_kakari"])
    DxProAssignmentFactory(user=pro, unit=city["tree"]["soumu"], fiscal_year=2026)
    result = reminders_send_daily(now=_at(today))
    assert result == {"digest": 1, "escalation": 2}
    chief = city["people"]["chief"][0]
    escalated = {tuple(m.to) for m in mail.outbox} - {(person.email,)}
    assert escalated == {(chief.email,), (pro.email,)}
    assert reminders_send_daily(now=_at(today)) == {"digest": 0, "escalation": 0}


def test_hr_manual_reminder_reaches_the_overdue_of_a_unit_once_a_day(city):
    today = dt.date(2026, 6, 1)
    Enrollment.objects.update(due_on=today - dt.timedelta(days=1))
    hr = UserFactory(groups=[RoleGroup.HR])
    unit = city["tree"]["jinji"]
    with pytest.raises(PermissionDenied):  # the service asks org.access itself
        reminder_send_manual(unit=unit, course_id=city["course"].pk, sent_by=UserFactory())
    assert reminder_send_manual(unit=unit, course_id=city["course"].pk, sent_by=hr,
                                now=_at(today)) == 5  # fmt: skip
    assert reminder_send_manual(unit=unit, course_id=city["course"].pk, sent_by=hr,
                                now=_at(today)) == 0  # fmt: skip
    assert ReminderLog.objects.filter(kind=ReminderKind.MANUAL, sent_by=hr).count() == 5


def test_a_failed_send_is_retried_next_run(city, monkeypatch):
    today = dt.date(2026, 6, 1)
    person = city["people"]["madoguchi"][0]
    Enrollment.objects.filter(user=person).update(due_on=today - dt.timedelta(days=1))
    Enrollment.objects.exclude(user=person).update(due_on=today + dt.timedelta(days=30))

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("lms.notices.delivery.send_mail", broken)
    with pytest.raises(ConnectionError):
        reminders_send_daily(now=_at(today))
    assert not ReminderLog.objects.exists()
    monkeypatch.undo()
    assert reminders_send_daily(now=_at(today))["digest"] == 1


def test_hr_sends_from_the_dashboard_and_sees_the_log(client, city):
    from django.urls import reverse

    from lms.completion.figures import stats_rebuild
    from org.models import RoleGroup

    Enrollment.objects.update(due_on=dt.date(2000, 4, 1))
    stats_rebuild()
    hr = UserFactory(groups=[RoleGroup.HR])
    client.force_login(city["people"]["madoguchi"][0])
    assert client.post(reverse("lms:reminder_send")).status_code == 403
    client.force_login(hr)
    unit = city["tree"]["madoguchi"]
    page = client.get(f"{reverse('lms:dashboard')}?course={city['course'].pk}&unit={unit.pk}")
    assert reverse("lms:reminder_send") in page.text
    response = client.post(
        reverse("lms:reminder_send"), {"unit": unit.pk, "course": city["course"].pk, "year": 2026}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    log = client.get(reverse("lms:reminder_log"))
    assert log.status_code == 200
    assert len(log.context["logs"]) == 2


def test_escalation_finds_the_enclosing_section_under_a_bureau(settings):
    """局 > 部 > 課 > 係: the section is found by its kind, not by its depth in the tree."""
    settings.LMS_REMINDER_ESCALATION_DAYS = 10
    today = dt.date(2026, 6, 1)
    bureau = OrgUnitFactory.create(name="市民局", kind=OrgUnitKind.BUREAU)
    department = OrgUnitFactory.create(parent=bureau, name="区政部", kind=OrgUnitKind.DEPARTMENT)
    section = OrgUnitFactory.create(parent=department, name="戸籍課", kind=OrgUnitKind.SECTION)
    other = OrgUnitFactory.create(parent=department, name="住民課", kind=OrgUnitKind.SECTION)
    unit = OrgUnitFactory.create(parent=section, name="証明係", kind=OrgUnitKind.UNIT)
    other_unit = OrgUnitFactory.create(parent=other, name="届出係", kind=OrgUnitKind.UNIT)
    chief = UserFactory(unit=section, position=Position.SECTION_CHIEF)
    director = UserFactory(unit=department, position=Position.DIRECTOR)
    late = UserFactory(unit=unit)
    late_elsewhere = UserFactory(unit=other_unit)  # 住民課 has no 課長: the 部長 hears
    course = make_course(lessons=1)["course"]
    assignment = assignment_create(course=course, enqueue=False, **dates(2026))
    assignment_fan_out(assignment_id=assignment.pk)
    Enrollment.objects.filter(user__in=[late, late_elsewhere]).update(
        due_on=today - dt.timedelta(days=20)
    )
    Enrollment.objects.exclude(user__in=[late, late_elsewhere]).update(
        due_on=today + dt.timedelta(days=30)
    )
    assert reminders_send_daily(now=_at(today)) == {"digest": 2, "escalation": 2}
    to_chief = next(m for m in mail.outbox if m.to == [chief.email])
    to_director = next(m for m in mail.outbox if m.to == [director.email])
    assert late.display_name in to_chief.body
    assert late_elsewhere.display_name not in to_chief.body
    assert late_elsewhere.display_name in to_director.body
    assert late.display_name not in to_director.body  # the section has its own manager


def test_a_closed_fiscal_year_is_not_chased():
    """Last year's open enrollments stay overdue in last year's figures but get no e-mail."""
    today = dt.date(2026, 6, 1)
    person = UserFactory(unit=OrgUnitFactory.create(name="市民課"))
    course = make_course(lessons=1)["course"]
    last_year = assignment_create(course=course, enqueue=False, **dates(2025))
    assignment_fan_out(assignment_id=last_year.pk)
    Enrollment.objects.update(due_on=dt.date(2025, 12, 25))
    assert reminders_send_daily(now=_at(today)) == {"digest": 0, "escalation": 0}
    this_year = assignment_create(course=course, enqueue=False, **dates(2026))
    assignment_fan_out(assignment_id=this_year.pk)
    Enrollment.objects.filter(fiscal_year=2026).update(due_on=today - dt.timedelta(days=1))
    assert reminders_send_daily(now=_at(today)) == {"digest": 1, "escalation": 0}
    assert "2025-12-25" not in mail.outbox[0].body and person.email in mail.outbox[0].to
