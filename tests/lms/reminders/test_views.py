"""HR's manual reminder asks for confirmation, naming how many people it will reach."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lms.completion.figures import stats_rebuild
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment, ReminderKind, ReminderLog
from org.models import RoleGroup
from tests.factories import UserFactory
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = make_city()
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    Enrollment.objects.update(due_on=dt.date(2000, 4, 1))
    stats_rebuild()
    city["hr"] = UserFactory(groups=[RoleGroup.HR])
    return city


def test_the_dashboard_asks_before_sending(client, city):
    jinji = city["tree"]["jinji"]
    client.force_login(city["hr"])
    query = f"?unit={jinji.pk}&course={city['course'].pk}&year={dates()['fiscal_year']}"
    dashboard = client.get(f"{reverse('lms:dashboard')}{query}").text
    assert f"{reverse('lms:reminder_send')}{query.replace('&', '&amp;')}" in dashboard
    # One of the five was already reminded today: four will get it.
    ReminderLog.objects.create(
        recipient=city["people"]["kyuyo_kakari"][0],
        kind=ReminderKind.MANUAL,
        sent_on=timezone.localdate(),
        items=1,
    )
    confirm = client.get(f"{reverse('lms:reminder_send')}{query}")
    assert confirm.status_code == 200
    assert "4人に受講のお願いを送ります。よろしいですか。" in confirm.text
    assert "今日すでに送った1人には送りません" in confirm.text
    assert 'method="post"' in confirm.text and f'name="unit" value="{jinji.pk}"' in confirm.text
    assert mail.outbox == []
    sent = client.post(
        reverse("lms:reminder_send"),
        {"unit": jinji.pk, "course": city["course"].pk, "year": dates()["fiscal_year"]},
    )
    assert sent.status_code == 302 and len(mail.outbox) == 4


def test_only_hr_sees_the_confirmation(client, city):
    client.force_login(city["people"]["madoguchi"][0])
    query = f"?unit={city['tree']['jinji'].pk}&course={city['course'].pk}"
    assert client.get(f"{reverse('lms:reminder_send')}{query}").status_code == 403


def test_a_reminder_can_go_to_everyone_not_done_yet(client, city):
    """Two of 人事課's five are not overdue yet: the overdue choice reaches three, the other
    choice all five, the page says which it is, and the e-mail suits both."""
    jinji = city["tree"]["jinji"]
    not_yet = city["people"]["jinji_kakari"]
    Enrollment.objects.filter(user__in=not_yet).update(
        due_on=timezone.localdate() + dt.timedelta(days=20)
    )
    client.force_login(city["hr"])
    query = f"?unit={jinji.pk}&course={city['course'].pk}&year={dates()['fiscal_year']}"
    url = reverse("lms:reminder_send")
    overdue = client.get(f"{url}{query}").text
    assert "受講期限を過ぎた職員のみ（3人）" in overdue
    assert "まだ修了していない職員全員（5人）" in overdue
    assert "3人に受講のお願いを送ります" in overdue
    everyone = client.get(f"{url}{query}&audience=not_done").text
    assert "まだ修了していない5人に受講のお願いを送ります" in everyone
    assert 'name="audience" value="not_done"' in everyone
    client.post(url, {"unit": jinji.pk, "course": city["course"].pk, "audience": "not_done"})
    assert len(mail.outbox) == 5
    early = next(m for m in mail.outbox if m.to == [not_yet[0].email])
    assert "期限まであと20日" in early.body and "期限が過ぎています" not in early.body
    assert "受講期限までに修了してください" in early.body
    # Nobody twice a day, whatever the choice.
    client.post(url, {"unit": jinji.pk, "course": city["course"].pk, "audience": "overdue"})
    assert len(mail.outbox) == 5


def test_an_unknown_audience_means_the_overdue(client, city):
    jinji = city["tree"]["jinji"]
    Enrollment.objects.filter(user__in=city["people"]["jinji_kakari"]).update(
        due_on=timezone.localdate() + dt.timedelta(days=20)
    )
    client.force_login(city["hr"])
    client.post(
        reverse("lms:reminder_send"),
        {"unit": jinji.pk, "course": city["course"].pk, "audience": "everyone-ever"},
    )
    assert len(mail.outbox) == 3
