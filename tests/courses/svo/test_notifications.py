"""The e-mail an author gets when their SVO worksheet is returned or approved: their name,
what was decided and what to do, the comment, a link to their own worksheet that opens for
them, and the sender's signature and contact."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.courses.svo.test_review import submitted_by
from tests.factories import (
    DxProAssignmentFactory,
    UserFactory,
    make_course,
    make_org_tree,
    make_svo_exercise,
)
from tests.helpers.mail import assert_signed, links, path_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    tree = make_org_tree()
    course = make_course(lessons=1)["course"]
    exercise = make_svo_exercise(course, min_statements=1)
    dx_pro = UserFactory(unit=tree["madoguchi"], display_name="山田 花子")
    DxProAssignmentFactory(user=dx_pro, unit=tree["shimin_ka"])
    return {"tree": tree, "exercise": exercise, "dx_pro": dx_pro}


def _decide(client, city, author, data, capture):
    worksheet = submitted_by(author, city["exercise"])
    client.force_login(city["dx_pro"])
    with capture(execute=True):
        client.post(
            reverse("courses:review_detail", args=[worksheet.pk]), {**data, "confirmed": "1"}
        )
    return mail.outbox[-1]


def test_a_returned_worksheet_says_what_to_do_and_links_to_it(
    client, city, django_capture_on_commit_callbacks
):
    author = UserFactory(unit=city["tree"]["madoguchi"], email="author@x.jp")
    message = _decide(
        client,
        city,
        author,
        {"decision": "returned", "version": 1, "comment": "対象をもう少し具体的に書きましょう。"},
        django_capture_on_commit_callbacks,
    )
    exercise = city["exercise"].title
    assert message.subject == f"SVOワークシートが差し戻されました：{exercise}"
    body = message.body
    assert body.startswith(f"{author.display_name} 様\n")
    assert (
        f"「{exercise}」のSVOワークシートが、山田 花子さんからコメント付きで差し戻されました。"
        in body
    )
    assert "修正のうえ、もう一度レビューに提出してください" in body
    assert "DX PROからのコメント：\n対象をもう少し具体的に書きましょう。" in body
    assert_signed(body)
    link = links(body)[0]
    assert path_of(link) == reverse("courses:svo_worksheet", args=[city["exercise"].pk])
    client.force_login(author)
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert "対象をもう少し具体的に書きましょう。" in page.text  # their worksheet, with it


def test_an_approved_worksheet_says_nothing_more_is_needed(
    client, city, django_capture_on_commit_callbacks
):
    author = UserFactory(unit=city["tree"]["madoguchi"], email="author@x.jp")
    message = _decide(
        client,
        city,
        author,
        {"decision": "approved", "version": 1},
        django_capture_on_commit_callbacks,
    )
    body = message.body
    assert body.startswith(f"{author.display_name} 様\n")
    assert "山田 花子さんにより承認されました" in body
    assert "これ以上の作業はありません" in body
    assert_signed(body)
    client.force_login(author)
    assert client.get(path_of(links(body)[0])).status_code == 200
