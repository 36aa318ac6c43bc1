"""B4: the worksheet's number fields read the forms people type, and say what is wrong with
anything else, beside the field, on autosave and on the form post; nothing is dropped."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import SvoStatement
from courses.svo.services import worksheet_for
from tests.factories import GOOD_STATEMENT, UserFactory, make_course, make_svo_exercise

pytestmark = pytest.mark.django_db

ACCEPTED = [
    ("3000", 3000),
    ("3,000", 3000),
    ("３，０００", 3000),
    ("３０００", 3000),
    (" 3 000 ", 3000),
    ("1,234,567", 1234567),
    ("12.0", 12),
    ("１２．０", 12),
    ("", None),
]
REFUSED = ["1.5", "１．５", "abc", "3,00", "-5", "3.", "1e3", "99999999999", "三千"]
#: Minutes may be a decimal or a duration in words (issue 19): 1.5, 30分, 1時間半.
MINUTES_ACCEPTED = [
    ("1.5", Decimal("1.5")),
    ("１．５", Decimal("1.5")),
    ("30分", 30),
    ("３０分", 30),
    ("45分間", 45),
    ("1時間半", 90),
    ("１時間３０分", 90),
    ("2時間", 120),
    ("1.5時間", 90),
]
MINUTES_REFUSED = ["abc", "3,00", "-5", "3.", "1e3", "99999999999", "三千", "1.25", "時間", "30秒"]


@pytest.fixture
def exercise(db):
    return make_svo_exercise(make_course(lessons=1)["course"], min_statements=1)


@pytest.fixture
def author(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _autosave(client, worksheet, **numbers):
    url = reverse("courses:svo_autosave", args=[worksheet.pk])
    body = {"lock_version": worksheet.lock_version, "statements": [{**GOOD_STATEMENT, **numbers}]}
    return client.post(url, json.dumps(body), content_type="application/json")


def _post(client, exercise, **numbers):
    worksheet = worksheet_for(user=UserFactory._meta.model.objects.get(), exercise=exercise)
    data = {"lock_version": worksheet.lock_version, "rows": 1, "action": "save"}
    data.update({f"s-0-{name}": value for name, value in {**GOOD_STATEMENT, **numbers}.items()})
    return client.post(reverse("courses:svo_worksheet", args=[exercise.pk]), data)


@pytest.mark.parametrize(("typed", "kept"), ACCEPTED)
@pytest.mark.parametrize("field", ["count_per_year", "minutes_per_case"])
def test_autosave_keeps_each_form_people_type(client, exercise, author, field, typed, kept):
    worksheet = worksheet_for(user=author, exercise=exercise)
    response = _autosave(client, worksheet, **{field: typed})
    assert response.status_code == 200
    assert getattr(SvoStatement.objects.get(), field) == kept


@pytest.mark.parametrize("typed", REFUSED)
def test_autosave_reports_the_field_and_writes_nothing(client, exercise, author, typed):
    worksheet = worksheet_for(user=author, exercise=exercise)
    response = _autosave(client, worksheet, count_per_year=typed)
    assert response.status_code == 400
    answer = response.json()
    assert [(e["row"], e["field"]) for e in answer["field_errors"]] == [(0, "count_per_year")]
    assert answer["field_errors"][0]["message"]
    assert "保存できない項目があります" in answer["error"]
    assert not SvoStatement.objects.exists()
    page = client.get(reverse("courses:svo_worksheet", args=[exercise.pk])).text
    assert "保存できない項目があります" in page  # the status line's text, for the script


@pytest.mark.parametrize(("typed", "kept"), ACCEPTED)
def test_the_form_post_keeps_each_form(client, exercise, author, typed, kept):
    response = _post(client, exercise, count_per_year=typed, minutes_per_case=typed)
    assert response.status_code == 302
    statement = SvoStatement.objects.get()
    assert (statement.count_per_year, statement.minutes_per_case) == (kept, kept)


@pytest.mark.parametrize(("typed", "kept"), MINUTES_ACCEPTED)
def test_minutes_accept_decimals_and_durations(client, exercise, author, typed, kept):
    worksheet = worksheet_for(user=author, exercise=exercise)
    assert _autosave(client, worksheet, minutes_per_case=typed).status_code == 200
    assert SvoStatement.objects.get().minutes_per_case == kept
    page = client.get(reverse("courses:svo_worksheet", args=[exercise.pk])).text
    assert f'name="s-0-minutes_per_case" value="{kept}"' in page  # 90, 1.5: never 90.0
    response = _autosave(
        client, worksheet_for(user=author, exercise=exercise), count_per_year=typed
    )
    assert response.status_code == 400  # a count stays a whole number of cases


@pytest.mark.parametrize("typed", MINUTES_REFUSED)
def test_the_form_post_shows_the_error_beside_the_field_and_keeps_the_text(
    client, exercise, author, typed
):
    response = _post(client, exercise, minutes_per_case=typed, count_per_year="３，０００")
    assert response.status_code == 400
    page = response.text
    assert "保存できない項目があります。印の付いた欄を直してください。" in page
    assert "保存しました。" not in page  # the "Saved." message
    assert 'id="s-0-minutes_per_case-error"' in page
    assert 'aria-describedby="s-0-minutes_per_case-error"' in page
    assert f'value="{typed}"' in page  # what was typed is still there to correct
    assert "s-0-count_per_year-error" not in page
    assert not SvoStatement.objects.exists()


def test_the_messages_say_what_to_type(client, exercise, author):
    worksheet = worksheet_for(user=author, exercise=exercise)
    messages = {
        typed: _autosave(client, worksheet, count_per_year=typed).json()["field_errors"][0][
            "message"
        ]
        for typed in ("1.5", "abc", "99999999999")
    }
    assert "整数" in messages["1.5"]
    assert "3,000" in messages["abc"]
    assert "10,000,000" in messages["99999999999"]
