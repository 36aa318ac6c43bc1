"""DX PRO review screens: scope (own units only; HR for units without a DX PRO; never
one's own), the queue oldest first with counts, deciding, the diff, and query counts."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from courses.models import SvoReview, WorksheetStatus
from courses.svo.services import worksheet_for, worksheet_save, worksheet_submit
from org.models import RoleGroup
from tests.factories import (
    GOOD_STATEMENT,
    DxProAssignmentFactory,
    UserFactory,
    make_course,
    make_org_tree,
    make_svo_exercise,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    tree = make_org_tree()
    course = make_course(lessons=1)["course"]
    exercise = make_svo_exercise(course, min_statements=1)
    dx_pro = UserFactory(unit=tree["madoguchi"])
    DxProAssignmentFactory(user=dx_pro, unit=tree["shimin_ka"])
    return {"tree": tree, "exercise": exercise, "dx_pro": dx_pro}


def submitted_by(user, exercise, statements=None):
    worksheet = worksheet_for(user=user, exercise=exercise)
    worksheet_save(
        worksheet_id=worksheet.pk,
        user=user,
        lock_version=worksheet.lock_version,
        statements=statements or [GOOD_STATEMENT],
    )
    return worksheet_submit(worksheet_id=worksheet.pk, user=user)


def test_a_dx_pro_sees_only_their_units_oldest_first_and_not_their_own(client, city):
    tree, exercise = city["tree"], city["exercise"]
    first = submitted_by(UserFactory(unit=tree["madoguchi"], email="a@x.jp"), exercise)
    second = submitted_by(UserFactory(unit=tree["madoguchi"]), exercise)
    elsewhere = submitted_by(UserFactory(unit=tree["jinji_kakari"]), exercise)
    submitted_by(city["dx_pro"], exercise)
    client.force_login(city["dx_pro"])
    response = client.get(reverse("courses:review_queue"))
    assert [w.pk for w in response.context["queue"].waiting] == [first.pk, second.pk]
    assert response.context["queue"].per_unit == [("窓口係", 2)]
    assert client.get(reverse("courses:review_detail", args=[elsewhere.pk])).status_code == 404


def test_units_without_a_dx_pro_go_to_hr(client, city):
    tree, exercise = city["tree"], city["exercise"]
    covered = submitted_by(UserFactory(unit=tree["madoguchi"]), exercise)
    uncovered = submitted_by(UserFactory(unit=tree["jinji_kakari"]), exercise)
    hr = UserFactory(unit=tree["jinji_kakari"], groups=[RoleGroup.HR])
    client.force_login(hr)
    waiting = client.get(reverse("courses:review_queue")).context["queue"].waiting
    assert [w.pk for w in waiting] == [uncovered.pk]
    assert covered.pk not in [w.pk for w in waiting]


def test_plain_staff_have_an_empty_queue_and_no_access(client, city):
    worksheet = submitted_by(UserFactory(unit=city["tree"]["madoguchi"]), city["exercise"])
    colleague = UserFactory(unit=city["tree"]["madoguchi"])
    client.force_login(colleague)
    assert client.get(reverse("courses:review_queue")).context["queue"].waiting == []
    assert client.get(reverse("courses:review_detail", args=[worksheet.pk])).status_code == 404


def test_return_with_comments_then_resubmit_shows_the_diff_then_approve(
    client, city, django_capture_on_commit_callbacks
):
    author = UserFactory(unit=city["tree"]["madoguchi"], email="author@x.jp")
    worksheet = submitted_by(author, city["exercise"])
    statement = worksheet.statements.get()
    client.force_login(city["dx_pro"])
    url = reverse("courses:review_detail", args=[worksheet.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "confirmed": "1",
                "decision": "returned",
                "version": 1,
                f"c-{statement.pk}": "対象を具体的に",
            },
        )
    assert response.status_code == 302
    worksheet.refresh_from_db()
    assert worksheet.status == WorksheetStatus.RETURNED
    assert mail.outbox[-1].to == ["author@x.jp"]
    worksheet_save(
        worksheet_id=worksheet.pk,
        user=author,
        lock_version=worksheet.lock_version,
        statements=[{"id": statement.pk, **GOOD_STATEMENT, "object": "交付申請書の本人確認欄"}],
    )
    worksheet_submit(worksheet_id=worksheet.pk, user=author)
    page = client.get(url)
    changes = page.context["changes"]
    with translation.override("en"):  # the field's label, as the author's form shows it
        assert [(c.kind, [str(f[0]) for f in c.fields]) for c in changes] == [
            ("changed", ["object"])
        ]
    assert "交付申請書の本人確認欄" in page.text
    assert "対象を具体的に" in page.text  # the earlier comment, beside the statement
    client.post(url, {"confirmed": "1", "decision": "approved", "version": 2})
    worksheet.refresh_from_db()
    assert worksheet.status == WorksheetStatus.APPROVED
    # A second decision (another tab) is told, not applied.
    response = client.post(
        url, {"confirmed": "1", "decision": "returned", "version": 2, "comment": "x"}, follow=True
    )
    assert SvoReview.objects.filter(worksheet=worksheet).count() == 2
    assert response.status_code == 200


def test_a_dx_pro_cannot_decide_on_their_own_worksheet(client, city):
    own = submitted_by(city["dx_pro"], city["exercise"])
    client.force_login(city["dx_pro"])
    response = client.post(
        reverse("courses:review_detail", args=[own.pk]),
        {"confirmed": "1", "decision": "approved", "version": 1},
    )
    assert response.status_code == 404
    own.refresh_from_db()
    assert own.status == WorksheetStatus.SUBMITTED


def test_queue_and_review_screen_query_counts_do_not_grow(client, city):
    tree, exercise = city["tree"], city["exercise"]
    for _ in range(2):
        submitted_by(UserFactory(unit=tree["madoguchi"]), exercise, [GOOD_STATEMENT] * 2)
    client.force_login(city["dx_pro"])
    client.get(reverse("courses:review_queue"))

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few_queue = count(reverse("courses:review_queue"))
    big = submitted_by(UserFactory(unit=tree["madoguchi"]), exercise, [GOOD_STATEMENT] * 1)
    client.get(reverse("courses:review_detail", args=[big.pk]))  # the checker's words, cached
    few_detail = count(reverse("courses:review_detail", args=[big.pk]))
    for _ in range(3):
        submitted_by(UserFactory(unit=tree["madoguchi"]), exercise, [GOOD_STATEMENT] * 2)
    bigger = submitted_by(UserFactory(unit=tree["madoguchi"]), exercise, [GOOD_STATEMENT] * 4)
    assert count(reverse("courses:review_queue")) == few_queue
    assert count(reverse("courses:review_detail", args=[bigger.pk])) == few_detail
    assert few_detail <= 20


def test_after_approval_the_reviewer_stays_on_the_worksheet_to_make_plans(client, city):
    author = UserFactory(unit=city["tree"]["madoguchi"])
    worksheet = submitted_by(author, city["exercise"])
    statement = worksheet.statements.get()
    client.force_login(city["dx_pro"])
    url = reverse("courses:review_detail", args=[worksheet.pk])
    response = client.post(url, {"confirmed": "1", "decision": "approved", "version": 1})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).text
    assert reverse("courses:plan_new", args=[worksheet.pk, statement.pk]) in page
    queue = client.get(reverse("courses:review_queue")).context["queue"]
    assert [w.pk for w in queue.recently_approved] == [worksheet.pk]
    assert queue.recently_approved[0].plan_count == 0
    # HR reads the approved worksheet of a covered unit nowhere: not theirs to plan.
    hr = UserFactory(unit=city["tree"]["jinji_kakari"], groups=[RoleGroup.HR])
    client.force_login(hr)
    assert client.get(url).status_code == 404


def test_an_unsubmitted_draft_stays_private_to_its_author(client, city):
    """B8: a DX PRO opened a colleague's draft at /review/<id>/."""
    author = UserFactory(unit=city["tree"]["madoguchi"])
    draft = worksheet_for(user=author, exercise=city["exercise"])
    worksheet_save(
        worksheet_id=draft.pk,
        user=author,
        lock_version=draft.lock_version,
        statements=[{**GOOD_STATEMENT, "object": "下書きの目的語"}],
    )
    hr = UserFactory(unit=city["tree"]["jinji_kakari"], groups=[RoleGroup.HR])
    uncovered = worksheet_for(user=UserFactory(unit=city["tree"]["jinji_kakari"]),
                              exercise=city["exercise"])  # fmt: skip
    for viewer, worksheet in ((city["dx_pro"], draft), (hr, uncovered)):
        client.force_login(viewer)
        assert client.get(reverse("courses:review_detail", args=[worksheet.pk])).status_code == 404
        response = client.post(
            reverse("courses:review_detail", args=[worksheet.pk]),
            {"confirmed": "1", "decision": "approved", "version": 0},
        )
        assert response.status_code == 404
        queue = client.get(reverse("courses:review_queue"))
        assert "下書きの目的語" not in queue.text
        assert queue.context["queue"].returned == []
        assert queue.context["queue"].approved_count == 0
        assert worksheet.pk not in [w.pk for w in queue.context["queue"].waiting]
    client.force_login(author)
    page = client.get(reverse("courses:svo_worksheet", args=[city["exercise"].pk]))
    assert "下書きの目的語" in page.text  # the author still has it


def test_changes_after_a_return_stay_private_until_resubmitted(client, city):
    author = UserFactory(unit=city["tree"]["madoguchi"])
    worksheet = submitted_by(author, city["exercise"])
    statement = worksheet.statements.get()
    client.force_login(city["dx_pro"])
    url = reverse("courses:review_detail", args=[worksheet.pk])
    client.post(
        url, {"confirmed": "1", "decision": "returned", "version": 1, "comment": "直してください"}
    )
    worksheet.refresh_from_db()
    worksheet_save(
        worksheet_id=worksheet.pk,
        user=author,
        lock_version=worksheet.lock_version,
        statements=[{"id": statement.pk, **GOOD_STATEMENT, "object": "書きかけの修正"}],
    )
    page = client.get(url).text
    assert "書きかけの修正" not in page
    assert GOOD_STATEMENT["object"] in page  # the version that was submitted


def test_hints_reach_the_reviewer_without_their_internal_codes(
    client, city, django_capture_on_commit_callbacks
):
    author = UserFactory(unit=city["tree"]["madoguchi"])
    with django_capture_on_commit_callbacks(execute=True):
        worksheet = submitted_by(
            author, city["exercise"], statements=[{**GOOD_STATEMENT, "verb": "対応する"}]
        )
    client.force_login(city["dx_pro"])
    with translation.override("ja"):
        page = client.get(reverse("courses:review_detail", args=[worksheet.pk])).text
    hints = page.split('class="svo-hint"')[1:]
    assert hints, "the vague verb gives a hint"
    text = "".join(hint.split("</p>", 1)[0].split(">", 1)[1] for hint in hints)
    assert "対応する" in text or "動作" in text
    for code in ("verb_vague", "subject_person", "why_rule_only", "multiple_actions"):
        assert f"{code}:" not in page


# --- B20: the queue's counts are of its lists; returned worksheets are listed ---------------


def test_the_queue_lists_returned_worksheets_and_counts_what_it_lists(client, city):
    tree, exercise = city["tree"], city["exercise"]
    client.force_login(city["dx_pro"])
    waiting = submitted_by(UserFactory(unit=tree["madoguchi"]), exercise)
    returned_author = UserFactory(unit=tree["madoguchi"], display_name="差戻 太郎")
    returned = submitted_by(returned_author, exercise)
    approved = submitted_by(UserFactory(unit=tree["madoguchi"], display_name="承認 花子"), exercise)
    for worksheet, decision in ((returned, "returned"), (approved, "approved")):
        client.post(
            reverse("courses:review_detail", args=[worksheet.pk]),
            {"confirmed": "1", "decision": decision, "version": 1, "comment": "確認しました"},
        )
    with translation.override("ja"):
        response = client.get(reverse("courses:review_queue"))
    queue = response.context["queue"]
    assert [w.pk for w in queue.waiting] == [waiting.pk]
    assert [w.pk for w in queue.returned] == [returned.pk]
    assert [w.pk for w in queue.recently_approved] == [approved.pk]
    page = response.text
    assert "レビュー待ち 1件" in page
    assert "差し戻し中 1件" in page and "差し戻し中（作成者の修正待ち）" in page
    assert "承認済み 1件" in page
    assert "判定済み" not in page  # the old count of two lists, one of them never shown
    returned_section = page.split('id="returned-h"')[1].split('id="approved-h"')[0]
    assert "差戻 太郎" in returned_section and "承認 花子" not in returned_section
    # once resubmitted, the worksheet leaves the returned list for the waiting one
    returned.refresh_from_db()
    worksheet_save(
        worksheet_id=returned.pk,
        user=returned_author,
        lock_version=returned.lock_version,
        statements=[{"id": returned.statements.get().pk, **GOOD_STATEMENT}],
    )
    worksheet_submit(worksheet_id=returned.pk, user=returned_author)
    queue = client.get(reverse("courses:review_queue")).context["queue"]
    assert [w.pk for w in queue.waiting] == [waiting.pk, returned.pk]
    assert queue.returned == []


# --- review decisions: distinct buttons and a confirmation step ----------------------------


def test_approve_is_the_main_button_and_return_the_secondary_one(client, city):
    worksheet = submitted_by(UserFactory(unit=city["tree"]["madoguchi"]), city["exercise"])
    client.force_login(city["dx_pro"])
    page = client.get(reverse("courses:review_detail", args=[worksheet.pk])).text
    approve = page.split('value="approved"')[1].split(">")[0]
    send_back = page.split('value="returned"')[1].split(">")[0]
    assert 'class="button"' in approve
    assert 'class="button button--secondary"' in send_back


def test_a_decision_is_confirmed_before_it_is_taken(client, city):
    author = UserFactory(unit=city["tree"]["madoguchi"])
    worksheet = submitted_by(author, city["exercise"])
    statement = worksheet.statements.get()
    client.force_login(city["dx_pro"])
    url = reverse("courses:review_detail", args=[worksheet.pk])
    typed = {"decision": "returned", "version": 1, "comment": "全体に具体的に",
             f"c-{statement.pk}": "対象を具体的に"}  # fmt: skip
    with translation.override("ja"):
        asked = client.post(url, typed)
    assert asked.status_code == 200
    worksheet.refresh_from_db()
    assert worksheet.status == WorksheetStatus.SUBMITTED and not SvoReview.objects.exists()
    assert "このワークシートを差し戻しますか？" in asked.text
    assert "全体に具体的に" in asked.text and "対象を具体的に" in asked.text
    assert 'name="confirmed" value="1"' in asked.text
    # back to the form: what was typed is still there
    with translation.override("ja"):
        back = client.post(url, {**typed, "edit": "1"})
    assert back.status_code == 200
    assert ">対象を具体的に</textarea>" in back.text and ">全体に具体的に</textarea>" in back.text
    assert not SvoReview.objects.exists()
    # confirmed: decided
    done = client.post(url, {**typed, "confirmed": "1"})
    assert done.status_code == 302
    worksheet.refresh_from_db()
    assert worksheet.status == WorksheetStatus.RETURNED
    assert SvoReview.objects.get().comments.get().text == "対象を具体的に"


def test_a_return_without_a_comment_is_sent_back_to_the_form_before_confirming(client, city):
    worksheet = submitted_by(UserFactory(unit=city["tree"]["madoguchi"]), city["exercise"])
    client.force_login(city["dx_pro"])
    url = reverse("courses:review_detail", args=[worksheet.pk])
    with translation.override("ja"):
        response = client.post(url, {"decision": "returned", "version": 1, "comment": "  "})
    assert response.status_code == 400
    assert "差し戻しますか" not in response.text
    assert "<textarea" in response.text  # the form again, with the reason
    assert "message--error" in response.text
    worksheet.refresh_from_db()
    assert worksheet.status == WorksheetStatus.SUBMITTED
    # approving needs no comment: it is asked to be confirmed
    with translation.override("ja"):
        asked = client.post(url, {"decision": "approved", "version": 1})
    assert asked.status_code == 200 and "このワークシートを承認しますか？" in asked.text
