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
