"""Personal data never reaches the logs; logs can be one JSON object per line.

The main test runs the flows that handle the most personal data (a roster import with a bad
line, failed sign-ins up to a lockout, a worksheet review with its e-mail, reminders) with
every logger captured at DEBUG, and looks for any name, kana, e-mail address or employee
number of the people involved in what was logged. It checks the raw records, before the
masking filter, so it holds our own logger calls to the rule.
"""

import datetime as dt
import io
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from config.logging import (
    JsonFormatter,
    PersonalDataFilter,
    RequestIdFilter,
    axes_client_str,
    mask_personal_data,
)
from config.request_context import reset_current_request, set_current_request
from courses.models import ReviewDecision, WorksheetStatus
from courses.svo.services import worksheet_review_decide
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment, User
from lms.reminders.services import reminder_send_manual, reminders_send_daily
from org.models import RoleGroup
from org.roster.services import roster_import_apply, roster_import_create, roster_import_validate
from tests.factories import DxProAssignmentFactory, UserFactory, make_svo_exercise, make_worksheet
from tests.lms.training import dates, make_city
from tests.org.roster_files import csv_bytes, roster_line

ROOT = Path(__file__).resolve().parents[2]


def _record(msg, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("t", logging.WARNING, __file__, 1, msg, args, exc_info)


def test_filter_masks_emails_employee_numbers_and_people():
    record = _record("Login %s from %s failed; %s", "7301234", "kaori@city.example.jp", 42)
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "Login [number] from [email] failed; 42"
    assert mask_personal_data("職員番号７３０１２３４") == "職員番号[number]"
    # Ids, times, versions and addresses are not mistaken for employee numbers.
    kept = "attempt 42 at 2026-06-01 12:30:45.123456 on 10.0.0.12:6379 v5.2.19 took 1234 ms"
    assert mask_personal_data(kept) == kept


@pytest.mark.django_db
def test_filter_logs_a_person_by_id_and_masks_exception_text():
    person = UserFactory(display_name="帳簿 花子", email="hanako@city.example.jp")
    try:
        raise ValueError(f"duplicate {person.email} / {person.employee_number}")
    except ValueError:
        record = _record("Could not save %s", person, exc_info=sys.exc_info())
    PersonalDataFilter().filter(record)
    assert record.getMessage() == f"Could not save user#{person.pk}"
    assert person.email not in record.exc_text and person.employee_number not in record.exc_text
    assert "[email]" in record.exc_text


def test_json_formatter_writes_one_object_per_line_with_the_request_id():
    request = RequestFactory().get("/")
    request.request_id = "req-0123456789"
    token = set_current_request(request)
    try:
        record = _record("Roster import %s failed\nsecond line", 7)
        RequestIdFilter().filter(record)
    finally:
        reset_current_request(token)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "t"
    assert entry["message"] == "Roster import 7 failed\nsecond line"
    assert entry["request_id"] == "req-0123456789"
    assert dt.datetime.fromisoformat(entry["time"]).tzinfo is not None


def test_axes_names_a_client_without_the_login():
    text = axes_client_str("7301234", "10.0.0.5", "Firefox", "/accounts/login/", None)
    assert "7301234" not in text and "10.0.0.5" in text


def _logging_of(module: str, **env) -> dict:
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.LOGGING['handlers']['console']))"
    )
    keep = {k: v for k, v in __import__("os").environ.items() if k != "LOG_FORMAT"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**keep, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_log_format_json_is_production_default_and_chosen_by_env():
    production = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "dx.city.example.jp"}
    assert _logging_of("config.settings.production", **production)["formatter"] == "json"
    assert (
        _logging_of("config.settings.production", LOG_FORMAT="plain", **production)["formatter"]
        == "plain"
    )
    handler = _logging_of("config.settings.dev", LOG_FORMAT="json")
    assert handler["formatter"] == "json"
    assert handler["filters"] == ["request_id", "personal_data"]
    assert _logging_of("config.settings.dev")["formatter"] == "plain"


@pytest.mark.django_db
def test_every_request_has_an_id_in_its_response(client):
    response = client.get(reverse("health_live"))
    assert len(response["X-Request-ID"]) == 32
    offered = client.get(reverse("health_live"), headers={"X-Request-ID": "lb-abcdef123"})
    assert offered["X-Request-ID"] == "lb-abcdef123"
    forged = client.get(reverse("health_live"), headers={"X-Request-ID": "<script>"})
    assert forged["X-Request-ID"] != "<script>"


# --- the flows ----------------------------------------------------------------------------------


def _personal_strings() -> set[str]:
    values = set()
    for person in User.objects.all():
        values |= {person.display_name, person.kana, person.email, person.employee_number}
        values |= set(person.display_name.split()) | {person.email.split("@")[0]}
    return {value for value in values if value and len(value) >= 2}


@pytest.mark.django_db
def test_flows_log_no_personal_data(client, caplog, django_capture_on_commit_callbacks, settings):
    caplog.set_level(logging.DEBUG)
    settings.AXES_FAILURE_LIMIT = 3
    city = make_city()
    hr = UserFactory(
        display_name="人事 三郎",
        kana="ジンジ サブロウ",
        email="saburo@city.example.jp",
        groups=[RoleGroup.HR],
    )

    # A roster import with a bad line (checked, refused), then a good one applied.
    lines = [
        roster_line("7301234", name="監査 太郎", email="taro.kansa@city.example.jp"),
        roster_line("7301235", name="監査 次郎", email="jiro.kansa@city.example.jp"),
    ]
    bad = [*lines, roster_line("7301236", name="誤記 三子", email="not-an-address")]
    for content in (bad, lines):
        roster_import = roster_import_create(
            uploaded_by=hr, file_name="名簿.csv", content=csv_bytes(content), full_roster=False,
            enqueue=False,
        )  # fmt: skip
        roster_import_validate(roster_import_id=roster_import.pk)
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_apply(roster_import_id=roster_import.pk)
    assert User.objects.filter(employee_number="7301234").exists()

    # Failed sign-ins by employee number and by e-mail address, up to a lockout.
    victim = User.objects.get(employee_number="7301235")
    for login in ["7301235", victim.email, "7301235", "7301235"]:
        client.post(reverse("lms:login"), {"username": login, "password": "wrong-password"})
    assert client.post(
        reverse("lms:login"), {"username": "7301235", "password": "wrong-password"}
    ).status_code in (403, 429)

    # A worksheet returned by the DX PRO of the unit (the author is e-mailed).
    author = city["people"]["madoguchi"][0]
    reviewer = UserFactory(unit=city["tree"]["madoguchi"], display_name="審査 四郎")
    DxProAssignmentFactory(user=reviewer, unit=city["tree"]["shimin_ka"])
    exercise = make_svo_exercise(city["course"], min_statements=1)
    worksheet = make_worksheet(author, exercise, status=WorksheetStatus.SUBMITTED,
                               submitted_at=timezone.now())  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        worksheet_review_decide(worksheet_id=worksheet.pk, reviewer=reviewer,
                                decision=ReviewDecision.RETURNED, version=worksheet.version,
                                comment="もう少し具体的に")  # fmt: skip

    # Reminders: the daily digest and HR's manual one.
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    today = timezone.localdate()
    Enrollment.objects.update(due_on=today - dt.timedelta(days=3))
    reminders_send_daily()
    reminder_send_manual(unit=city["tree"]["jinji_kakari"], course_id=city["course"].pk, sent_by=hr)
    assert len(mail.outbox) >= 3  # the review e-mail and reminders did go out

    # factory_boy's own debug lines describe the test's fixtures, not the product's logging.
    records = [r for r in caplog.records if not r.name.startswith("factory")]
    # Celery's "succeeded in 0.0020417979s" is a run time whose digits can happen to contain
    # an employee number; it holds nothing personal.
    logged = [re.sub(r"succeeded in [0-9.e-]+s", "", record.getMessage()) for record in records]
    logged += [record.exc_text or "" for record in records]
    assert len(records) > 0
    leaks = sorted({value for value in _personal_strings() for text in logged if value in text})
    assert leaks == [], [text for text in logged if any(v in text for v in leaks)][:5]


def test_the_console_handler_masks_what_third_party_code_logs():
    """The configured handler carries the filter: a library logging an address is masked."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger("some.library")
    logger.addHandler(handler)
    try:
        logger.warning("User %s locked out", "hanako@city.example.jp")
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue() == "User [email] locked out\n"
