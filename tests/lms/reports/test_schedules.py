"""Scheduled reports: when they are due, sending once a period, the e-mail, recipients, and
HR's screen."""

import datetime as dt
import io
import smtplib
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends import locmem
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from core.notices.kinds import NoticeKind
from core.notices.models import NoticeTemplate
from lms.completion.figures import stats_rebuild
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment, ScheduledReport
from lms.reports import schedules
from org.models import RoleGroup
from tests.factories import DxProAssignmentFactory, UserFactory
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


def _at(day: dt.date, hour: int = 7, minute: int = 30) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TOKYO)


@pytest.fixture
def city():
    city = make_city()
    tree = city["tree"]
    city["zero"] = UserFactory(unit=tree["madoguchi"], employee_number="000777")
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    Enrollment.objects.filter(user__unit=tree["madoguchi"]).update(due_on=dt.date(2000, 1, 1))
    stats_rebuild()
    city["hr"] = UserFactory(groups=[RoleGroup.HR], display_name="人事 太郎")
    city["manager"] = UserFactory(unit=tree["shimin_ka"], position="section_chief",
                                  display_name="市民 課長")  # fmt: skip
    return city


def _report(city, *, created: dt.datetime, **fields) -> ScheduledReport:
    data = schedules.ScheduleData(
        course=city["course"],
        unit=city["tree"]["shimin_ka"],
        show=fields.pop("show", "overdue"),
        file_format=fields.pop("file_format", "xlsx"),
        frequency=fields.pop("frequency", "weekly"),
        delivery=fields.pop("delivery", "attachment"),
        recipients=fields.pop("recipients", [city["manager"], city["hr"]]),
        **fields,
    )
    report = schedules.scheduled_report_create(by=city["hr"], data=data)
    ScheduledReport.objects.filter(pk=report.pk).update(created_at=created)
    report.refresh_from_db()
    return report


# --- when ------------------------------------------------------------------------------------


def test_a_weekly_report_is_due_from_its_first_weekday_after_it_was_set_up(city):
    wednesday = dt.date(2026, 12, 2)
    report = _report(city, created=_at(wednesday, 15), weekday=0)  # Mondays
    assert not schedules.is_due(report, wednesday)
    assert not schedules.is_due(report, dt.date(2026, 12, 6))  # Sunday
    monday = dt.date(2026, 12, 7)
    assert schedules.is_due(report, monday)
    assert schedules.latest_scheduled_day(report, dt.date(2026, 12, 9)) == monday
    report.last_sent_on = monday
    assert not schedules.is_due(report, monday)
    assert not schedules.is_due(report, dt.date(2026, 12, 13))
    assert schedules.is_due(report, dt.date(2026, 12, 14))
    # The job did not run on Monday (an outage): Tuesday sends it, once.
    report.last_sent_on = monday
    assert schedules.is_due(report, dt.date(2026, 12, 15))
    report.active = False
    assert not schedules.is_due(report, dt.date(2026, 12, 15))


def test_a_monthly_report_is_due_on_its_day_and_across_the_year_end(city):
    report = _report(city, created=_at(dt.date(2026, 11, 1)), frequency="monthly", day_of_month=28)
    assert report.weekday is None
    assert schedules.latest_scheduled_day(report, dt.date(2027, 1, 5)) == dt.date(2026, 12, 28)
    assert schedules.latest_scheduled_day(report, dt.date(2027, 3, 28)) == dt.date(2027, 3, 28)
    assert schedules.is_due(report, dt.date(2026, 11, 28))
    report.last_sent_on = dt.date(2026, 11, 28)
    assert not schedules.is_due(report, dt.date(2026, 12, 27))
    assert schedules.is_due(report, dt.date(2026, 12, 28))


# --- sending ---------------------------------------------------------------------------------


def test_the_job_sends_once_a_period_however_often_it_runs(city, settings):
    settings.SITE_URL = "https://kenshu.city.example.jp"
    monday = dt.date(2026, 12, 7)
    _report(city, created=_at(dt.date(2026, 12, 1)), weekday=0)
    assert schedules.scheduled_reports_send_due(now=_at(monday)) == 1
    assert len(mail.outbox) == 2  # one e-mail per recipient
    assert schedules.scheduled_reports_send_due(now=_at(monday, 7, 31)) == 0
    assert schedules.scheduled_reports_send_due(now=_at(monday + dt.timedelta(days=1))) == 0
    assert len(mail.outbox) == 2
    assert schedules.scheduled_reports_send_due(now=_at(monday + dt.timedelta(days=7))) == 1
    assert len(mail.outbox) == 4
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT_XLSX).first()
    assert event.actor is None and event.unit_id == city["tree"]["shimin_ka"].pk
    assert event.details["scheduled_report"] and event.details["sent"] == 2


def test_the_email_greets_says_what_is_attached_links_and_signs(city, settings):
    settings.SITE_URL = "https://kenshu.city.example.jp"
    settings.TRAINING_CONTACT = "人事課 研修担当（内線 1234）"
    monday = dt.date(2026, 12, 7)
    report = _report(city, created=_at(dt.date(2026, 12, 1)), weekday=0,
                     recipients=[city["manager"]])  # fmt: skip
    schedules.scheduled_reports_send_due(now=_at(monday))
    (message,) = mail.outbox
    assert message.to == [city["manager"].email]
    assert "市民課" in message.subject and city["course"].title in message.subject
    body = message.body
    assert body.startswith("市民 課長 様")
    year = 2026  # the fiscal year of 2026-12-07
    filename = f"{city['course'].title}_令和{year - 2018}年度_市民課_期限超過.xlsx"
    assert f"名簿を添付しています：{filename}" in body
    assert "https://kenshu.city.example.jp/hr/training/people.xlsx?" in body
    assert f"unit={report.unit_id}" in body and "show=overdue" in body
    assert "人事課 研修担当（内線 1234）" in body
    assert "督促" not in body
    ((name, content, mimetype),) = message.attachments
    assert name == filename and mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(content)).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "000777" in numbers
    assert len(numbers) == 3  # 窓口係's two and 000777, all overdue
    assert sheet["A2"].data_type == "s"


def test_each_recipient_gets_the_report_in_their_language(city):
    city["manager"].language = "en"
    city["manager"].save(update_fields=["language"])
    monday = dt.date(2026, 12, 7)
    _report(city, created=_at(dt.date(2026, 12, 1)), weekday=0)
    schedules.scheduled_reports_send_due(now=_at(monday))
    by_person = {message.to[0]: message for message in mail.outbox}
    english, japanese = by_person[city["manager"].email], by_person[city["hr"].email]
    assert english.body.startswith("Dear 市民 課長,")
    assert japanese.body.startswith("人事 太郎 様")
    # The file's headings are in the reader's language too.
    headings = {}
    for message in (english, japanese):
        ((_name, content, _type),) = message.attachments
        headings[message.to[0]] = next(load_workbook(io.BytesIO(content)).active.values)
    assert headings[city["manager"].email] != headings[city["hr"].email]
    assert "職員番号" in headings[city["hr"].email]


class _RefusingBackend(locmem.EmailBackend):
    """The test outbox, except for one address the mail server refuses."""

    refused = ""

    def send_messages(self, messages):
        for message in messages:
            if self.refused in message.to:
                raise smtplib.SMTPRecipientsRefused({self.refused: (550, b"refused")})
        return super().send_messages(messages)


def test_a_mail_server_that_fails_half_way_sends_only_to_those_still_waiting(city, settings):
    """HR got the report before the server refused the manager's copy: the period stays open,
    and the next run sends to the manager alone; then the period is closed and recorded
    once."""
    settings.EMAIL_BACKEND = f"{__name__}._RefusingBackend"
    _RefusingBackend.refused = city["manager"].email
    monday = dt.date(2026, 12, 7)
    report = _report(city, created=_at(dt.date(2026, 12, 1)), weekday=0)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        schedules.scheduled_reports_send_due(now=_at(monday))
    assert [m.to for m in mail.outbox] == [[city["hr"].email]]
    report.refresh_from_db()
    assert report.last_sent_on is None
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT_XLSX).exists()

    _RefusingBackend.refused = "nobody@invalid"
    assert schedules.scheduled_reports_send_due(now=_at(monday, 8)) == 1
    assert [m.to for m in mail.outbox] == [[city["hr"].email], [city["manager"].email]]
    assert schedules.scheduled_reports_send_due(now=_at(monday, 9)) == 0
    assert len(mail.outbox) == 2
    (event,) = AuditEvent.objects.filter(action=AuditAction.EXPORT_XLSX)
    assert event.details["sent"] == 2
    # Next week's period starts afresh, and last week's deliveries are not kept.
    assert schedules.scheduled_reports_send_due(now=_at(monday + dt.timedelta(days=7))) == 1
    assert len(mail.outbox) == 4
    assert set(report.deliveries.values_list("period", flat=True)) == {
        monday + dt.timedelta(days=7)
    }


def test_the_email_is_the_template_hr_edits_in_the_cms(city):
    template = NoticeTemplate.objects.get(kind=NoticeKind.SCHEDULED_REPORT)
    template.subject_ja = "定期報告：{所属}（{年度}）"
    template.body_ja = "{氏名} 様\n今週の名簿です。{受け取り方}\n{リンク}"
    template.full_clean()
    template.save()
    _report(city, created=_at(dt.date(2026, 12, 1)), weekday=0, recipients=[city["hr"]])
    schedules.scheduled_reports_send_due(now=_at(dt.date(2026, 12, 7)))
    (message,) = mail.outbox
    assert message.subject == "定期報告：市民課（令和8年度（2026年度））"
    assert message.body.startswith("人事 太郎 様\n今週の名簿です。名簿を添付しています：")
    assert "/hr/training/people.xlsx?" in message.body


def test_a_link_only_report_attaches_nothing(city):
    monday = dt.date(2026, 12, 7)
    _report(city, created=_at(dt.date(2026, 12, 1)), weekday=0, delivery="link",
            file_format="csv_cp932", recipients=[city["hr"]])  # fmt: skip
    schedules.scheduled_reports_send_due(now=_at(monday))
    (message,) = mail.outbox
    assert message.attachments == []
    assert "添付していません" in message.body
    assert f"{settings.SITE_URL}/hr/training/people.csv?" in message.body
    assert "encoding=cp932" in message.body


def test_someone_who_moved_away_no_longer_gets_the_names(city):
    monday = dt.date(2026, 12, 7)
    _report(city, created=_at(dt.date(2026, 12, 1)), weekday=0)
    manager = city["manager"]
    manager.unit = city["tree"]["jinji"]  # now 課長 of 人事課, not of 市民課
    manager.save()
    schedules.scheduled_reports_send_due(now=_at(monday))
    assert [message.to for message in mail.outbox] == [[city["hr"].email]]


# --- recipients and rights -------------------------------------------------------------------


def test_recipients_must_be_allowed_to_see_the_unit(city):
    unit = city["tree"]["shimin_ka"]
    clerk = city["people"]["madoguchi"][0]
    pro = UserFactory(unit=city["tree"]["madoguchi"])
    DxProAssignmentFactory(user=pro, unit=unit)
    other_chief = city["people"]["chief"][0]  # 課長 of 人事課
    no_mail = UserFactory(groups=[RoleGroup.HR], email="")
    found = schedules.recipients_by_number(
        unit=unit, numbers=[city["manager"].employee_number, city["hr"].employee_number, " "]
    )
    assert found == [city["manager"], city["hr"]]
    numbers = [clerk, pro, other_chief, no_mail]
    with pytest.raises(ValidationError) as error:
        schedules.recipients_by_number(
            unit=unit, numbers=[p.employee_number for p in numbers] + ["999999"]
        )
    messages = error.value.messages
    assert len(messages) == 5
    assert any("999999" in message for message in messages)
    assert any(no_mail.employee_number in message for message in messages)
    with pytest.raises(ValidationError):
        schedules.recipients_by_number(unit=unit, numbers=[])


def test_only_hr_sets_up_changes_and_removes_reports(city):
    report = _report(city, created=_at(dt.date(2026, 12, 1)), weekday=0)
    data = schedules.ScheduleData(
        course=city["course"], unit=city["tree"]["shimin_ka"], show="all", file_format="csv",
        frequency="weekly", weekday=1, delivery="link", recipients=[city["manager"]],
    )  # fmt: skip
    for person in (city["manager"], city["people"]["madoguchi"][0]):
        with pytest.raises(PermissionDenied):
            schedules.scheduled_report_create(by=person, data=data)
        with pytest.raises(PermissionDenied):
            schedules.scheduled_report_update(by=person, report=report, data=data)
        with pytest.raises(PermissionDenied):
            schedules.scheduled_report_set_active(by=person, report=report, active=False)
        with pytest.raises(PermissionDenied):
            schedules.scheduled_report_delete(by=person, report=report)
    # A recipient who may not see the unit is refused by the service too, not only the form.
    data.recipients = [city["people"]["madoguchi"][0]]
    with pytest.raises(ValidationError):
        schedules.scheduled_report_create(by=city["hr"], data=data)


def test_the_job_runs_at_half_past_seven_in_tokyo():
    entry = settings.CELERY_BEAT_SCHEDULE["lms-scheduled-reports"]
    assert entry["task"] == "lms.scheduled_reports_send"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {30}
    assert settings.CELERY_TIMEZONE == "Asia/Tokyo"
    from lms.tasks import scheduled_reports_send_task

    assert scheduled_reports_send_task.name == "lms.scheduled_reports_send"


# --- HR's screen -----------------------------------------------------------------------------


def _form(city, **changes):
    return {
        "course": city["course"].pk,
        "unit": city["tree"]["shimin_ka"].pk,
        "show": "overdue",
        "file_format": "xlsx",
        "frequency": "weekly",
        "weekday": "0",
        "day_of_month": "1",
        "delivery": "attachment",
        "recipients": f"{city['manager'].employee_number}\n{city['hr'].employee_number}",
        **changes,
    }


def test_hr_sets_up_a_report_on_the_screen(client, city):
    client.force_login(city["hr"])
    page = client.get(reverse("lms:schedules"))
    assert page.status_code == 200
    assert "定期レポートはまだありません" in page.text
    form = client.get(
        reverse("lms:schedule_create") + f"?unit={city['tree']['shimin_ka'].pk}&show=overdue"
    )
    assert form.status_code == 200 and "送付先（職員番号）" in form.text
    refused = client.post(
        reverse("lms:schedule_create"),
        _form(city, recipients=city["people"]["madoguchi"][0].employee_number),
    )
    assert refused.status_code == 400 and "名簿を見る権限がありません" in refused.text
    assert not ScheduledReport.objects.exists()
    response = client.post(reverse("lms:schedule_create"), _form(city))
    assert response.status_code == 302
    report = ScheduledReport.objects.get()
    assert report.created_by == city["hr"] and report.weekday == 0 and report.day_of_month is None
    assert set(report.recipients.all()) == {city["manager"], city["hr"]}
    listing = client.get(reverse("lms:schedules")).text
    assert "毎週月曜日" in listing and "市民 課長" in listing
    client.cookies["django_language"] = "en"
    assert "Every Monday" in client.get(reverse("lms:schedules")).text


def test_hr_changes_pauses_and_deletes_a_report(client, city):
    client.force_login(city["hr"])
    client.post(reverse("lms:schedule_create"), _form(city))
    report = ScheduledReport.objects.get()
    edit = client.get(reverse("lms:schedule_edit", args=[report.pk]))
    assert city["manager"].employee_number in edit.text
    client.post(
        reverse("lms:schedule_edit", args=[report.pk]),
        _form(city, frequency="monthly", day_of_month="15", recipients=city["hr"].employee_number),
    )
    report.refresh_from_db()
    assert (report.frequency, report.day_of_month, report.weekday) == ("monthly", 15, None)
    assert list(report.recipients.all()) == [city["hr"]]
    client.post(reverse("lms:schedule_set_active", args=[report.pk]), {"active": "0"})
    report.refresh_from_db()
    assert not report.active
    assert "一時停止中" in client.get(reverse("lms:schedules")).text
    client.post(reverse("lms:schedule_set_active", args=[report.pk]), {"active": "1"})
    report.refresh_from_db()
    assert report.active
    confirm = client.get(reverse("lms:schedule_delete", args=[report.pk]))
    assert "定期レポートを削除しますか" in confirm.text
    assert ScheduledReport.objects.filter(pk=report.pk).exists()
    client.post(reverse("lms:schedule_delete", args=[report.pk]))
    assert not ScheduledReport.objects.exists()
    # Each step is in the audit log: who, which unit's names, to how many people.
    actions = list(
        AuditEvent.objects.filter(actor=city["hr"]).order_by("pk").values_list("action", "unit_id")
    )
    unit = city["tree"]["shimin_ka"].pk
    assert actions == [
        (AuditAction.REPORT_SCHEDULED, unit),
        (AuditAction.REPORT_SCHEDULE_CHANGED, unit),
        (AuditAction.REPORT_SCHEDULE_CHANGED, unit),
        (AuditAction.REPORT_SCHEDULE_CHANGED, unit),
        (AuditAction.REPORT_SCHEDULE_DELETED, unit),
    ]
    log = client.get(reverse("audit:event_list")).text
    assert "定期レポートを削除" in log and "対象：期限超過" in log and "送信：一時停止" in log


def test_the_list_is_paged_with_bounded_queries(client, city, django_assert_max_num_queries):
    client.force_login(city["hr"])
    for _ in range(3):
        _report(city, created=_at(dt.date(2026, 12, 1)), weekday=2)
    client.get(reverse("lms:schedules"))
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("lms:schedules"))
    for _ in range(22):
        _report(city, created=_at(dt.date(2026, 12, 1)), weekday=2)
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        # +1: the page count, which a list of one page does not need
        first = client.get(reverse("lms:schedules")).text
    assert 'rel="next"' in first and first.count("/delete/") == 20
    second = client.get(reverse("lms:schedules") + "?page=2").text
    assert 'rel="prev"' in second and second.count("/delete/") == 5
