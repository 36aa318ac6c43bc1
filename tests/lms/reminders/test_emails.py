"""What a reminder e-mail says: the person's name, what to do, each deadline, a link that
opens the exact page for that person, and the sender's signature and contact."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from lms.completion.figures import stats_rebuild
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment
from lms.reminders.services import reminder_send_manual, reminders_send_daily
from org.models import RoleGroup
from tests.factories import UserFactory
from tests.helpers.mail import assert_signed, links, path_of
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)
NOW = dt.datetime(2026, 6, 1, 9, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture
def city():
    city = make_city()
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    return city


def test_hr_reminder_asks_politely_with_deadline_link_and_signature(client, city):
    person = city["people"]["madoguchi"][0]
    Enrollment.objects.update(due_on=TODAY + dt.timedelta(days=30))
    Enrollment.objects.filter(user=person).update(due_on=dt.date(2026, 5, 22))
    hr = UserFactory(groups=[RoleGroup.HR])
    sent = reminder_send_manual(
        unit=city["tree"]["madoguchi"], course_id=city["course"].pk, sent_by=hr, now=NOW
    )
    assert sent == 1
    message = mail.outbox[0]
    # The sender is named (their unit and name), so the person knows whom to ask.
    assert message.subject == f"研修の受講のお願い：DX基礎研修（{hr.display_name}）"
    body = message.body
    assert body.startswith(f"{person.display_name} 様\n")
    assert f"{hr.display_name}より、研修の受講のお願いです。" in body
    assert "期限を過ぎている場合は、できるだけ早くお願いします" in body
    assert "■ DX基礎研修" in body
    assert "受講期限：2026年5月22日（期限を10日超過）" in body
    assert_signed(body)
    course_link = links(body)[0]
    assert path_of(course_link) == city["course"].url
    client.force_login(person)
    assert client.get(path_of(course_link)).status_code == 200


def test_daily_digest_lists_each_deadline_with_its_course_link(client, city):
    person = city["people"]["madoguchi"][0]
    Enrollment.objects.update(due_on=TODAY + dt.timedelta(days=30))
    Enrollment.objects.filter(user=person).update(due_on=TODAY + dt.timedelta(days=3))
    assert reminders_send_daily(now=NOW)["digest"] == 1
    body = mail.outbox[0].body
    assert body.startswith(f"{person.display_name} 様\n")
    assert "受講期限までに修了してください" in body
    assert "受講期限：2026年6月4日（期限まであと3日）" in body
    assert_signed(body)
    client.force_login(person)
    assert client.get(path_of(links(body)[0])).status_code == 200


def test_escalation_links_the_manager_to_the_units_figures(client, city, settings):
    settings.LMS_REMINDER_ESCALATION_DAYS = 10
    person = city["people"]["jinji_kakari"][0]
    Enrollment.objects.update(due_on=TODAY + dt.timedelta(days=30))
    Enrollment.objects.filter(user=person).update(due_on=TODAY - dt.timedelta(days=20))
    stats_rebuild()  # the figures the dashboard reads, kept up to date in production
    reminders_send_daily(now=NOW)
    chief = city["people"]["chief"][0]
    body = next(m for m in mail.outbox if m.to == [chief.email]).body
    assert body.startswith(f"{chief.display_name} 様\n")
    assert "受講期限を10日以上過ぎても" in body
    assert f"■ {person.display_name}（{person.unit.name}）" in body
    assert "受講期限：2026年5月12日（期限を20日超過）" in body
    assert_signed(body)
    client.force_login(chief)
    page = client.get(path_of(links(body)[0]))
    assert page.status_code == 200
    assert person.display_name in page.text


def test_no_screen_or_e_mail_of_a_reminder_says_tokusoku(client, city):
    """「督促」 is what a city hall sends for tax arrears: staff get 「受講のお願い」."""
    from django.urls import reverse

    Enrollment.objects.update(due_on=dt.date(2000, 4, 1))
    stats_rebuild()
    hr = UserFactory(groups=[RoleGroup.HR])
    client.force_login(hr)
    unit = city["tree"]["madoguchi"]
    dashboard = client.get(f"{reverse('lms:dashboard')}?course={city['course'].pk}&unit={unit.pk}")
    assert "受講のお願いを送る" in dashboard.text
    done = client.post(
        reverse("lms:reminder_send"),
        {"unit": unit.pk, "course": city["course"].pk, "year": 2026},
        follow=True,
    )
    assert "人に受講のお願いを送信しました" in done.text
    log = client.get(reverse("lms:reminder_log"))
    assert "受講のお願いの送信記録" in log.text
    pages = [dashboard.text, done.text, log.text]
    assert mail.outbox
    for text in pages + [m.subject + m.body for m in mail.outbox]:
        assert "督促" not in text
