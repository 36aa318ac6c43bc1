"""Reminders by chat: LINE WORKS to the person (a token from a signed JWT, cached), the Teams
channel of their unit, the fall-back to e-mail when a channel fails, and the once-a-day
limit whatever the channel. Every channel is a real HTTP server the tests start on loopback
(``tests/chat_server``)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.core.exceptions import ValidationError

from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment, ReminderChannel, ReminderLog, UnitTeamsChannel
from lms.reminders.services import reminder_send_manual, reminders_send_daily
from org.models import RoleGroup
from tests.chat_server import LINEWORKS
from tests.factories import UserFactory
from tests.helpers.mail import links, path_of
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)
NOW = dt.datetime(2026, 6, 1, 9, tzinfo=ZoneInfo("Asia/Tokyo"))
TOMORROW = NOW + dt.timedelta(days=1)


@pytest.fixture
def city():
    city = make_city()
    assignment = assignment_create(course=city["course"], enqueue=False, **dates(2026))
    assignment_fan_out(assignment_id=assignment.pk)
    person = city["people"]["madoguchi"][0]
    Enrollment.objects.update(due_on=TODAY + dt.timedelta(days=30))
    Enrollment.objects.filter(user=person).update(due_on=TODAY - dt.timedelta(days=2))
    return {**city, "person": person}


def _messages_path(person) -> str:
    return f"/lineworks/api/bots/{LINEWORKS['bot_id']}/users/{person.email}/messages"


def test_lineworks_reaches_the_person_with_a_token_from_a_signed_jwt(city, lineworks):
    assert reminders_send_daily(now=NOW)["digest"] == 1
    person = city["person"]
    tokens = lineworks.requests("/lineworks/token")
    assert [t["status"] for t in tokens] == [200]  # the server verified the RS256 assertion
    (message,) = lineworks.requests("/lineworks/api/")
    assert message["path"] == _messages_path(person)
    assert message["status"] == 201
    assert message["authorization"].startswith("Bearer token-")
    text = message["body"]["content"]["text"]
    assert message["body"]["content"]["type"] == "text"
    assert text.startswith(f"{person.display_name} 様\n")
    assert "受講期限：2026年5月30日（期限を2日超過）" in text
    assert city["course"].url in text and "http://testserver/" in text
    assert "お問い合わせ先：人事課 研修担当（内線 1234）" in text
    assert not mail.outbox  # reached by LINE WORKS: no e-mail as well
    log = ReminderLog.objects.get()
    assert (log.channel, log.failure) == (ReminderChannel.LINEWORKS, "")


def test_the_token_is_kept_until_it_expires_and_renewed_when_refused(city, lineworks):
    hr = UserFactory(groups=[RoleGroup.HR])
    reminders_send_daily(now=NOW)
    reminder_send_manual(
        unit=city["tree"]["madoguchi"], course_id=city["course"].pk, sent_by=hr, now=NOW
    )
    assert len(lineworks.requests("/lineworks/api/")) == 2
    assert len(lineworks.requests("/lineworks/token")) == 1  # cached between the two
    lineworks.control("revoke")
    reminders_send_daily(now=TOMORROW)
    answers = [r["status"] for r in lineworks.requests("/lineworks/api/")]
    assert answers == [201, 201, 401, 201]  # refused once, then sent with a new token
    assert len(lineworks.requests("/lineworks/token")) == 2
    assert not mail.outbox


@pytest.mark.parametrize(
    ("failure", "reason"),
    [({"status": 500}, "lineworks: HTTP 500"), ({"status": 403}, "lineworks: HTTP 403")],
)
def test_a_failing_lineworks_falls_back_to_e_mail_and_is_logged(city, lineworks, failure, reason):
    lineworks.fail("/lineworks/api/", **failure)
    assert reminders_send_daily(now=NOW)["digest"] == 1
    (message,) = mail.outbox
    assert message.to == [city["person"].email]
    assert message.body.startswith(f"{city['person'].display_name} 様\n")
    log = ReminderLog.objects.get()
    assert (log.channel, log.failure) == (ReminderChannel.EMAIL, reason)


def test_a_channel_that_does_not_answer_in_time_falls_back_quickly(city, lineworks, settings):
    import time

    settings.NOTICE_CHANNEL_TIMEOUT = 1
    lineworks.fail("/lineworks/api/", delay=3)
    started = time.monotonic()
    reminders_send_daily(now=NOW)
    assert time.monotonic() - started < 2.5
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.get().failure == "lineworks: timeout after 1 s"


def test_a_token_endpoint_that_refuses_falls_back_to_e_mail(city, lineworks, settings):
    settings.LINEWORKS_CLIENT_SECRET = "not-the-secret"
    reminders_send_daily(now=NOW)
    assert lineworks.requests("/lineworks/token")[0]["status"] == 400
    assert not lineworks.requests("/lineworks/api/")
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.get().failure == "lineworks: HTTP 400"


def test_teams_posts_a_card_mentioning_the_person_in_their_sections_channel(city, teams):
    # The channel belongs to the 課; the person sits in a 係 under it.
    section = city["tree"]["shimin_ka"]
    UnitTeamsChannel.objects.create(unit=section, webhook_url=f"{teams.url}/teams/shimin")
    assert reminders_send_daily(now=NOW)["digest"] == 1
    (post,) = teams.requests("/teams/")
    assert post["path"] == "/teams/shimin" and post["status"] == 202
    (attachment,) = post["body"]["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    person = city["person"]
    assert card["msteams"]["entities"][0]["mentioned"] == {
        "id": person.email,
        "name": person.display_name,
    }
    texts = "\n".join(block["text"] for block in card["body"])
    assert f"<at>{person.display_name}</at>" in texts
    assert "受講期限：2026年5月30日（期限を2日超過）" in texts
    (action,) = card["actions"]
    assert path_of(action["url"]) == city["course"].url
    assert not mail.outbox
    assert ReminderLog.objects.get().channel == ReminderChannel.TEAMS


def test_a_unit_without_a_channel_gets_e_mail_and_a_failing_webhook_falls_back(city, teams):
    UnitTeamsChannel.objects.create(
        unit=city["tree"]["jinji"], webhook_url=f"{teams.url}/teams/jinji"
    )
    reminders_send_daily(now=NOW)
    assert not teams.requests("/teams/")  # 窓口係 is not under 人事課
    assert len(mail.outbox) == 1
    ReminderLog.objects.all().delete()
    mail.outbox.clear()
    UnitTeamsChannel.objects.create(
        unit=city["tree"]["madoguchi"], webhook_url=f"{teams.url}/teams/madoguchi"
    )
    teams.fail("/teams/madoguchi", status=400)
    reminders_send_daily(now=NOW)
    assert [r["status"] for r in teams.requests("/teams/")] == [400]
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.get().failure == "teams: HTTP 400"


def test_once_a_day_per_person_whatever_the_channel(city, teams, settings):
    UnitTeamsChannel.objects.create(
        unit=city["tree"]["madoguchi"], webhook_url=f"{teams.url}/teams/madoguchi"
    )
    assert reminders_send_daily(now=NOW)["digest"] == 1
    settings.TEAMS_ENABLED = False  # the same day, by e-mail this time: nothing more
    assert reminders_send_daily(now=NOW + dt.timedelta(hours=3))["digest"] == 0
    assert not mail.outbox
    teams.fail("/teams/", status=500)  # nor by a failing channel's fall-back
    settings.TEAMS_ENABLED = True
    assert reminders_send_daily(now=NOW + dt.timedelta(hours=4))["digest"] == 0
    assert len(teams.requests("/teams/")) == 1 and not mail.outbox
    assert reminders_send_daily(now=TOMORROW)["digest"] == 1  # the next day, again


def test_only_https_webhooks_and_loopback_http_only_when_allowed(city, teams, settings):
    with pytest.raises(ValidationError):
        UnitTeamsChannel(
            unit=city["tree"]["madoguchi"], webhook_url="http://prod.example.jp/hook"
        ).full_clean()
    UnitTeamsChannel(
        unit=city["tree"]["madoguchi"], webhook_url="https://prod.example.jp/hook"
    ).full_clean()
    UnitTeamsChannel.objects.create(
        unit=city["tree"]["madoguchi"], webhook_url=f"{teams.url}/teams/madoguchi"
    )
    settings.NOTICE_ALLOW_HTTP_LOOPBACK = False
    reminders_send_daily(now=NOW)
    assert not teams.requests("/teams/")  # never posted over http
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.get().failure.startswith("teams: refused address")


def test_half_configured_lineworks_fails_the_system_check(settings, chat):
    settings.LINEWORKS_CLIENT_ID = "only-this"
    errors = {error.id: error.msg for error in run_checks()}
    assert "core.E010" in errors
    assert "LINEWORKS_PRIVATE_KEY" in errors["core.E010"]
    settings.LINEWORKS_CLIENT_ID = ""
    settings.LINEWORKS_AUTH_URL = "http://auth.example.jp/token"
    assert "core.E011" not in {e.id for e in run_checks()}  # nothing set: nothing to check


def test_an_e_mail_fall_back_keeps_its_link_working(client, city, lineworks):
    lineworks.fail("/lineworks/api/", status=503)
    reminders_send_daily(now=NOW)
    client.force_login(city["person"])
    assert client.get(path_of(links(mail.outbox[0].body)[0])).status_code == 200


def test_hr_sees_in_the_log_which_way_each_reminder_went_and_why_chat_failed(client, city, teams):
    from django.urls import reverse

    UnitTeamsChannel.objects.create(
        unit=city["tree"]["madoguchi"], webhook_url=f"{teams.url}/teams/madoguchi"
    )
    teams.fail("/teams/", status=500)
    reminders_send_daily(now=NOW)
    reminders_send_daily(now=TOMORROW)
    client.force_login(UserFactory(groups=[RoleGroup.HR]))
    page = client.get(reverse("lms:reminder_log")).text
    assert "Microsoft Teams" in page
    assert "チャットに送れなかったため（teams: HTTP 500）、メールで送信" in page
