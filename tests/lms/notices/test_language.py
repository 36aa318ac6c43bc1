"""Each person's notices in their own language, and every kind of notice by chat.

A person who switched the site to English while signed in (``User.language``) gets the
English template of every notice, with dates and states in English; everyone else the
city's Japanese. LINE WORKS reaches the person with the assignment notice, the certificate
and a review decision as well as the reminders; a unit's shared Teams channel carries the
certificate but never a reviewer's comment. The chat service is a real process on loopback.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment, UnitTeamsChannel
from lms.notices.assignment import assignment_notices_send
from lms.reminders.services import reminders_send_daily
from tests.chat_server import LINEWORKS
from tests.courses.svo.test_review import submitted_by
from tests.factories import DxProAssignmentFactory, UserFactory, make_svo_exercise
from tests.helpers.mail import assert_signed
from tests.lms.notices.test_emails import _complete
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 9, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture
def city():
    city = make_city()
    english, japanese = city["people"]["madoguchi"]
    english.language = "en"
    english.save(update_fields=["language"])
    return {**city, "english": english, "japanese": japanese}


def _assign(city):
    assignment = assignment_create(
        course=city["course"], units=[city["tree"]["madoguchi"]], enqueue=False, **dates(2026)
    )
    assignment_fan_out(assignment_id=assignment.pk)
    return assignment


def _to(person):
    (message,) = [m for m in mail.outbox if m.to == [person.email]]
    return message


def test_the_assignment_notice_is_in_each_persons_language(city, django_assert_max_num_queries):
    assignment = _assign(city)
    # Two people, two languages: the template and the signature are read once per language
    # (4 queries), with the rows, the site, the update and two batches' savepoints (8).
    with django_assert_max_num_queries(12):
        assert assignment_notices_send(assignment_id=assignment.pk) == 2
    english = _to(city["english"])
    assert english.subject == "Training assigned to you: DX基礎研修"
    assert english.body.startswith(f"Dear {city['english'].display_name},\n")
    assert "Deadline: 31 March 2027" in english.body
    assert "This e-mail was sent automatically by the training system." in english.body
    japanese = _to(city["japanese"])
    assert japanese.subject == "【研修のご案内】DX基礎研修"
    assert "受講期限：2027年3月31日" in japanese.body
    assert_signed(japanese.body)


def test_reminders_and_escalations_follow_the_recipients_language(city, settings):
    settings.LMS_REMINDER_ESCALATION_DAYS = 14
    _assign(city)
    Enrollment.objects.update(due_on=dt.date(2026, 5, 1), notified_at=NOW)
    manager = UserFactory(unit=city["tree"]["shimin_ka"], language="en")
    from org.models import ManagerAssignment

    ManagerAssignment.objects.create(user=manager, unit=city["tree"]["shimin_ka"])
    sent = reminders_send_daily(now=NOW)
    assert sent == {"digest": 2, "escalation": 1}
    english = _to(city["english"])
    assert english.subject == "Your training: due soon and overdue"
    assert "Deadline: 1 May 2026 (overdue by 31 days)" in english.body
    japanese = _to(city["japanese"])
    assert japanese.subject == "受講期限が近い研修・期限を過ぎた研修のお知らせ"
    assert "受講期限：2026年5月1日（期限を31日超過）" in japanese.body
    escalation = _to(manager)
    assert escalation.subject == "Training overdue in your units"
    assert f"■ {city['japanese'].display_name}（窓口係）" in escalation.body
    assert "overdue by 31 days" in escalation.body


def test_the_certificate_notice_is_in_the_holders_language(
    city, django_capture_on_commit_callbacks
):
    _assign(city)
    Enrollment.objects.update(notified_at=NOW)
    _complete(city, city["english"], django_capture_on_commit_callbacks)
    message = _to(city["english"])
    assert message.body.startswith(f"Dear {city['english'].display_name},\n")
    assert "修了証" not in message.subject


# --- every notice by chat -------------------------------------------------------------------


def test_lineworks_brings_the_assignment_notice_and_falls_back_per_person(city, lineworks):
    assignment = _assign(city)
    lineworks.fail("/lineworks/api/", status=500)  # the first message is refused
    assert assignment_notices_send(assignment_id=assignment.pk) == 2
    messages = lineworks.requests("/lineworks/api/")
    assert sorted(m["status"] for m in messages) == [201, 500]
    delivered = next(m for m in messages if m["status"] == 201)
    (reached,) = [p for p in (city["english"], city["japanese"]) if p.email in delivered["path"]]
    text = delivered["body"]["content"]["text"]
    assert city["course"].url in text
    (fallen_back,) = mail.outbox  # the refused one went by e-mail instead
    assert fallen_back.to != [reached.email]
    assert not Enrollment.objects.filter(notified_at__isnull=True).exists()


def test_a_certificate_goes_to_the_units_teams_channel(
    city, teams, django_capture_on_commit_callbacks
):
    UnitTeamsChannel.objects.create(
        unit=city["tree"]["madoguchi"], webhook_url=f"{teams.url}/teams/madoguchi"
    )
    _assign(city)
    Enrollment.objects.update(notified_at=NOW)
    _complete(city, city["japanese"], django_capture_on_commit_callbacks)
    (post,) = teams.requests("/teams/")
    card = post["body"]["attachments"][0]["content"]
    texts = "\n".join(block["text"] for block in card["body"])
    assert "修了証を発行しました：DX基礎研修" in texts
    assert not mail.outbox


@pytest.fixture
def review_city():
    city = make_city()
    exercise = make_svo_exercise(city["course"], min_statements=1)
    dx_pro = UserFactory(unit=city["tree"]["madoguchi"], display_name="山田 花子")
    DxProAssignmentFactory(user=dx_pro, unit=city["tree"]["shimin_ka"])
    author = city["people"]["madoguchi"][0]
    return {**city, "exercise": exercise, "dx_pro": dx_pro, "author": author}


def _decide(client, city, capture, comment):
    worksheet = submitted_by(city["author"], city["exercise"])
    client.force_login(city["dx_pro"])
    with capture(execute=True):
        client.post(
            reverse("courses:review_detail", args=[worksheet.pk]),
            {"decision": "returned", "version": 1, "comment": comment, "confirmed": "1"},
        )


def test_a_review_decision_reaches_the_author_by_lineworks(
    client, review_city, lineworks, django_capture_on_commit_callbacks
):
    _decide(client, review_city, django_capture_on_commit_callbacks, "目的を一文で書きましょう。")
    (message,) = lineworks.requests("/lineworks/api/")
    author = review_city["author"]
    assert message["path"] == (
        f"/lineworks/api/bots/{LINEWORKS['bot_id']}/users/{author.email}/messages"
    )
    text = message["body"]["content"]["text"]
    assert "目的を一文で書きましょう。" in text
    assert not mail.outbox


def test_a_review_decision_never_goes_to_a_shared_teams_channel(
    client, review_city, teams, django_capture_on_commit_callbacks
):
    UnitTeamsChannel.objects.create(
        unit=review_city["tree"]["shimin_ka"], webhook_url=f"{teams.url}/teams/shimin"
    )
    _decide(client, review_city, django_capture_on_commit_callbacks, "対象を具体的に。")
    assert not teams.requests("/teams/")
    (message,) = mail.outbox
    assert message.to == [review_city["author"].email]
    assert "対象を具体的に。" in message.body
