"""The worksheet editor: only one's own, form post without JavaScript (save, move, remove,
submit), JSON autosave with conflicts, hints and reviewer comments beside statements."""

import json

import pytest
from django.urls import reverse

from courses.models import ReviewDecision, SvoWorksheet, WorksheetStatus
from courses.svo.services import (
    worksheet_for,
    worksheet_review_decide,
    worksheet_save,
    worksheet_submit,
)
from org.models import RoleGroup
from tests.factories import GOOD_STATEMENT, UserFactory, make_course, make_svo_exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise(db):
    course = make_course(lessons=1)["course"]
    return make_svo_exercise(course, min_statements=2, max_statements=4)


@pytest.fixture
def author(client):
    user = UserFactory()
    client.force_login(user)
    return user


def form(worksheet, rows, action="save"):
    data = {"lock_version": worksheet.lock_version, "rows": len(rows), "action": action}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"s-{index}-{key}"] = "" if value is None else value
    return data


def test_the_exercise_page_links_to_the_worksheet(client, exercise, author):
    response = client.get(exercise.url)
    assert response.status_code == 200
    assert reverse("courses:svo_worksheet", args=[exercise.pk]) in response.text


def test_editor_without_javascript_saves_moves_removes_and_submits(client, exercise, author):
    url = reverse("courses:svo_worksheet", args=[exercise.pk])
    assert client.get(url).status_code == 200
    worksheet = SvoWorksheet.objects.get(user=author)
    vague = {**GOOD_STATEMENT, "verb": "対応する"}
    response = client.post(url, form(worksheet, [GOOD_STATEMENT, vague]))
    assert response.status_code == 302
    worksheet.refresh_from_db()
    first, second = worksheet.statements.all()
    page = client.get(url).text
    assert 'data-code="verb_vague"' in page  # the hint beside the statement
    rows = [{"id": first.pk, **GOOD_STATEMENT}, {"id": second.pk, **vague}]
    client.post(url, form(worksheet, rows, action="down-0"))
    assert list(worksheet.statements.values_list("pk", flat=True)) == [second.pk, first.pk]
    worksheet.refresh_from_db()
    rows = [{"id": second.pk, **vague, "remove": "1"}, {"id": first.pk, **GOOD_STATEMENT}]
    client.post(url, form(worksheet, rows))
    assert list(worksheet.statements.values_list("pk", flat=True)) == [first.pk]
    worksheet.refresh_from_db()
    response = client.post(url, form(worksheet, [{"id": first.pk, **GOOD_STATEMENT}], "submit"))
    assert response.status_code == 400  # one statement, two needed
    worksheet.refresh_from_db()
    rows = [{"id": first.pk, **GOOD_STATEMENT}, GOOD_STATEMENT]
    response = client.post(url, form(worksheet, rows, "submit"))
    assert response.status_code == 302
    worksheet.refresh_from_db()
    assert worksheet.status == WorksheetStatus.SUBMITTED


def test_a_form_post_from_a_stale_page_is_not_saved(client, exercise, author):
    url = reverse("courses:svo_worksheet", args=[exercise.pk])
    client.get(url)
    worksheet = SvoWorksheet.objects.get(user=author)
    stale = form(worksheet, [{**GOOD_STATEMENT, "verb": "押印する"}])
    client.post(url, form(worksheet, [GOOD_STATEMENT]))
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "押印する" in response.text  # shown back so nothing typed is lost
    assert list(worksheet.statements.values_list("verb", flat=True)) == ["照合する"]


def test_autosave_json_answers_hints_and_detects_conflicts(client, exercise, author):
    worksheet = worksheet_for(user=author, exercise=exercise)
    url = reverse("courses:svo_autosave", args=[worksheet.pk])
    body = {"lock_version": 0, "statements": [{**GOOD_STATEMENT, "object": "窓口業務"}]}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    answer = response.json()
    assert answer["lock_version"] == 1
    assert [f["code"] for f in answer["statements"][0]["findings"]] == ["object_vague"]
    assert answer["statements"][0]["hours_per_year"] == "400"  # shown as 「年間400時間」
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 409
    assert response.json()["lock_version"] == 1
    bad = client.post(url, "not json", content_type="application/json")
    assert bad.status_code == 400


def test_autosave_needs_the_csrf_token(exercise, author):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(author)
    worksheet = worksheet_for(user=author, exercise=exercise)
    url = reverse("courses:svo_autosave", args=[worksheet.pk])
    response = strict.post(url, json.dumps({"lock_version": 0}), content_type="application/json")
    assert response.status_code == 403


def test_nobody_else_can_autosave_or_see_an_authors_worksheet(client, exercise, author):
    other = UserFactory()
    theirs = worksheet_for(user=other, exercise=exercise)
    worksheet_save(worksheet_id=theirs.pk, user=other, lock_version=0, statements=[GOOD_STATEMENT])
    url = reverse("courses:svo_autosave", args=[theirs.pk])
    response = client.post(url, json.dumps({"lock_version": 1}), content_type="application/json")
    assert response.status_code == 403
    # The editor always shows the signed-in person's own worksheet.
    page = client.get(reverse("courses:svo_worksheet", args=[exercise.pk])).text
    assert "照合する" not in page


def test_the_author_sees_reviewer_comments_next_to_statements(client, exercise, author):
    worksheet = worksheet_for(user=author, exercise=exercise)
    worksheet_save(
        worksheet_id=worksheet.pk, user=author, lock_version=0, statements=[GOOD_STATEMENT] * 2
    )
    worksheet_submit(worksheet_id=worksheet.pk, user=author)
    statement = worksheet.statements.first()
    worksheet_review_decide(
        worksheet_id=worksheet.pk,
        reviewer=UserFactory(groups=[RoleGroup.HR]),  # the author's unit has no DX PRO
        decision=ReviewDecision.RETURNED,
        version=1,
        statement_comments={statement.pk: "対象をもっと具体的に"},
    )
    page = client.get(reverse("courses:svo_worksheet", args=[exercise.pk])).text
    assert "対象をもっと具体的に" in page
    assert 'name="action" value="submit"' in page  # returned: can revise and resubmit


def test_add_a_statement_without_javascript_saves_and_returns_to_a_fresh_row(
    client, exercise, author
):
    url = reverse("courses:svo_worksheet", args=[exercise.pk])
    page = client.get(url).text
    worksheet = SvoWorksheet.objects.get(user=author)
    # One empty row to write in, the add button, and the <template> svo.js copies.
    assert page.count('id="new-statement"') == 1
    assert 'name="action" value="add"' in page
    assert '<template id="svo-row-template">' in page and 'name="s-__i__-subject"' in page
    assert "svo.js copies" not in page  # the include's comment stays out of the page
    response = client.post(url, form(worksheet, [GOOD_STATEMENT], action="add"))
    assert response.status_code == 302
    assert response["Location"] == f"{url}#new-statement"
    assert worksheet.statements.count() == 1
    page = client.get(url).text
    assert 'name="s-0-subject"' in page and 'name="s-1-subject"' in page
    assert page.count('id="new-statement"') == 1
    worksheet.refresh_from_db()
    first = worksheet.statements.get()
    second = {**GOOD_STATEMENT, "object": "転入届の異動日"}
    client.post(url, form(worksheet, [{"id": first.pk, **GOOD_STATEMENT}, second], action="add"))
    assert [s.object for s in worksheet.statements.all()] == [
        GOOD_STATEMENT["object"],
        "転入届の異動日",
    ]


def test_no_add_button_or_template_once_submitted(client, exercise, author):
    worksheet = worksheet_for(user=author, exercise=exercise)
    worksheet_save(
        worksheet_id=worksheet.pk,
        user=author,
        lock_version=worksheet.lock_version,
        statements=[GOOD_STATEMENT, GOOD_STATEMENT],
    )
    worksheet_submit(worksheet_id=worksheet.pk, user=author)
    page = client.get(reverse("courses:svo_worksheet", args=[exercise.pk])).text
    assert 'value="add"' not in page and "svo-row-template" not in page


def test_hours_per_year_read_as_whole_numbers(client, exercise, author):
    """The review saw 「年間400.0時間」: a whole number of hours reads 「年間400時間」."""
    worksheet = worksheet_for(user=author, exercise=exercise)
    worksheet_save(
        worksheet_id=worksheet.pk,
        user=author,
        lock_version=worksheet.lock_version,
        statements=[
            GOOD_STATEMENT,
            {**GOOD_STATEMENT, "count_per_year": 7, "minutes_per_case": 12},
        ],
    )
    html = client.get(reverse("courses:svo_worksheet", args=[exercise.pk])).text
    assert "年間400時間" in html
    assert "年間1.4時間" in html  # 7 × 12 minutes: a fraction keeps its digit
    assert "合計 年間401.4時間" in html
    assert "400.0" not in html
