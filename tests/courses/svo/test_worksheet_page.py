"""The learner's worksheet page: read-only as wrapping text (B16), the previous round's
return not repeated after a resubmission (B14), inputs and buttons (B15)."""

import pytest
from django.urls import reverse

from courses.models import ReviewDecision
from courses.svo.services import (
    worksheet_for,
    worksheet_review_decide,
    worksheet_save,
    worksheet_submit,
)
from tests.factories import (
    GOOD_STATEMENT,
    DxProAssignmentFactory,
    UserFactory,
    make_course,
    make_org_tree,
    make_svo_exercise,
)

pytestmark = pytest.mark.django_db

LONG_OBJECT = (
    "住民票の写し交付申請書の本人確認欄と本人確認書類（運転免許証・マイナンバーカード）の記載事項"
)


@pytest.fixture
def setup(client):
    tree = make_org_tree()
    exercise = make_svo_exercise(make_course(lessons=1)["course"], min_statements=1)
    author = UserFactory(unit=tree["madoguchi"])
    dx_pro = UserFactory(unit=tree["madoguchi"])
    DxProAssignmentFactory(user=dx_pro, unit=tree["shimin_ka"])
    worksheet = worksheet_for(user=author, exercise=exercise)
    worksheet_save(worksheet_id=worksheet.pk, user=author, lock_version=0,
                   statements=[{**GOOD_STATEMENT, "object": LONG_OBJECT}])  # fmt: skip
    client.force_login(author)
    return {"exercise": exercise, "author": author, "dx_pro": dx_pro, "worksheet": worksheet,
            "url": reverse("courses:svo_worksheet", args=[exercise.pk])}  # fmt: skip


def test_a_submitted_worksheet_reads_as_text_not_disabled_inputs(client, setup):
    worksheet_submit(worksheet_id=setup["worksheet"].pk, user=setup["author"])
    page = client.get(setup["url"]).text
    assert f"<dd>{LONG_OBJECT}</dd>" in page
    assert 'name="s-0-object"' not in page
    assert "disabled" not in page
    assert '<dl class="svo-facts">' in page
    assert "12,000" in page  # numbers as people read them


def test_after_a_resubmission_the_old_return_is_history(client, setup):
    worksheet = worksheet_submit(worksheet_id=setup["worksheet"].pk, user=setup["author"])
    statement = worksheet.statements.get()
    worksheet_review_decide(
        worksheet_id=worksheet.pk, reviewer=setup["dx_pro"], decision=ReviewDecision.RETURNED,
        version=1, comment="対象をもう少し具体的に", statement_comments={statement.pk: "よい"},
    )  # fmt: skip
    page = client.get(setup["url"]).text
    assert "コメント付きで差し戻されました" in page
    assert "DX PROからのコメント" in page
    worksheet.refresh_from_db()
    worksheet_submit(worksheet_id=worksheet.pk, user=setup["author"])
    page = client.get(setup["url"]).text
    assert "コメント付きで差し戻されました" not in page
    assert "第1版へのコメント" in page
    assert "対象をもう少し具体的に" in page


def test_inputs_are_text_inputs_and_submit_is_the_primary_button(client, setup):
    page = client.get(setup["url"]).text
    assert '<input type="text" name="s-0-subject"' in page
    assert 'value="submit" class="button button--primary"' in page
    assert 'value="save" class="button button--secondary"' in page
    assert 'value="add" class="button button--secondary"' in page
