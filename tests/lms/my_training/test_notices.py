"""The author's home page tells them a worksheet was returned (with a link and the number of
comments) or approved; the notice of a return goes once it is resubmitted."""

import pytest
from django.urls import reverse

from courses.models import ReviewDecision
from courses.svo.selectors import decision_notices
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


@pytest.fixture
def setup(db):
    tree = make_org_tree()
    exercise = make_svo_exercise(make_course(lessons=1)["course"], min_statements=1)
    dx_pro = UserFactory(unit=tree["madoguchi"])
    DxProAssignmentFactory(user=dx_pro, unit=tree["shimin_ka"])
    author = UserFactory(unit=tree["madoguchi"])
    worksheet = worksheet_for(user=author, exercise=exercise)
    worksheet_save(
        worksheet_id=worksheet.pk,
        user=author,
        lock_version=worksheet.lock_version,
        statements=[GOOD_STATEMENT, GOOD_STATEMENT],
    )
    worksheet = worksheet_submit(worksheet_id=worksheet.pk, user=author)
    return {"exercise": exercise, "dx_pro": dx_pro, "author": author, "worksheet": worksheet}


def home(client, user):
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client.get(reverse("lms:my_training"))


def test_a_returned_worksheet_shows_with_its_comment_count_until_resubmitted(client, setup):
    worksheet, author = setup["worksheet"], setup["author"]
    assert home(client, author).context["worksheet_notices"] == []
    first, second = worksheet.statements.all()
    worksheet_review_decide(
        worksheet_id=worksheet.pk,
        reviewer=setup["dx_pro"],
        decision=ReviewDecision.RETURNED,
        version=1,
        comment="全体として良いです",
        statement_comments={first.pk: "対象を具体的に", second.pk: "役割で書く"},
    )
    response = home(client, author)
    [notice] = response.context["worksheet_notices"]
    assert notice.returned and notice.comment_count == 3
    text = response.content.decode()
    assert "Returned for revision" in text and "3 comments" in text
    assert reverse("courses:svo_worksheet", args=[setup["exercise"].pk]) in text
    # Nobody else sees it.
    assert home(client, setup["dx_pro"]).context["worksheet_notices"] == []
    worksheet.refresh_from_db()
    worksheet_submit(worksheet_id=worksheet.pk, user=author)
    assert home(client, author).context["worksheet_notices"] == []


def test_an_approval_shows_and_the_query_count_stays_fixed(
    client, setup, django_assert_max_num_queries
):
    worksheet_review_decide(
        worksheet_id=setup["worksheet"].pk,
        reviewer=setup["dx_pro"],
        decision=ReviewDecision.APPROVED,
        version=1,
    )
    response = home(client, setup["author"])
    [notice] = response.context["worksheet_notices"]
    assert not notice.returned and notice.comment_count == 0
    assert "Approved" in response.content.decode()
    with django_assert_max_num_queries(2):
        decision_notices(user=setup["author"])
