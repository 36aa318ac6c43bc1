"""The editorial split works out of the box: editors keep the question bank, the
「DX推進課レビュー」 group approves guidebook changes, nobody approves their own."""

import json
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import WorkflowState

from content.models import ChapterPage
from courses.models import Question
from org.models import RoleGroup
from tests.factories import UserFactory
from tests.factories.courses import QuestionCategoryFactory

pytestmark = pytest.mark.django_db


def menu_labels(html: str) -> list[str]:
    """The labels of the admin's sidebar menu (drawn by script from escaped JSON)."""
    return [json.loads(f'"{label}"') for label in re.findall(r'"label": "((?:[^"\\]|\\.)*)"', html)]


def test_the_approval_task_names_the_reviewers_group(index_page):
    task = index_page.get_workflow().tasks.get().specific
    assert "DX推進課レビュー" in set(task.groups.values_list("name", flat=True))
    assert RoleGroup.REVIEWERS == "DX推進課レビュー"


def test_editor_sees_the_question_bank_and_imports(client):
    client.force_login(UserFactory(groups=[RoleGroup.EDITORS]))
    menu = client.get("/cms/")
    assert menu.status_code == 200
    assert "問題バンク" in menu_labels(menu.content.decode())
    assert client.get("/cms/snippets/courses/question/").status_code == 200
    assert client.get(reverse("courses_question_import")).status_code == 200


def test_editor_creates_a_question(client):
    category = QuestionCategoryFactory(name="基礎")
    client.force_login(UserFactory(groups=[RoleGroup.EDITORS]))
    add_url = "/cms/snippets/courses/question/add/"
    form = client.get(add_url)
    assert form.status_code == 200
    data = {
        "category": category.pk,
        "name": "窓口-ペーパーレス",
        "qtype": "single",
        "text": "申請書を電子化する一番の目的はどれですか。",
        "points": "1",
        "feedback": "",
        "answers-TOTAL_FORMS": "2",
        "answers-INITIAL_FORMS": "0",
        "answers-MIN_NUM_FORMS": "0",
        "answers-MAX_NUM_FORMS": "1000",
    }
    for i, (text, fraction) in enumerate([("業務の見直し", "100"), ("紙の削減だけ", "0")]):
        data |= {
            f"answers-{i}-text": text,
            f"answers-{i}-fraction": fraction,
            f"answers-{i}-feedback": "",
            f"answers-{i}-value": "",
            f"answers-{i}-tolerance": "0",
            f"answers-{i}-ORDER": str(i + 1),
            f"answers-{i}-id": "",
            f"answers-{i}-DELETE": "",
        }
    response = client.post(add_url, data)
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["form"].formsets["answers"].errors,
    )
    question = Question.objects.get(name="窓口-ペーパーレス")
    assert question.answers.count() == 2


def test_reviewer_approves_what_the_editor_submitted_and_the_editor_cannot(client, edition):
    editor = UserFactory(groups=[RoleGroup.EDITORS])
    reviewer = UserFactory(groups=[RoleGroup.REVIEWERS])
    assert not reviewer.is_superuser
    chapter = ChapterPage(title="窓口のデジタル化", slug="madoguchi", live=False, body="[]")
    edition.add_child(instance=chapter)
    chapter.save_revision(user=editor)
    chapter.get_workflow().start(chapter, editor)
    state = WorkflowState.objects.get(object_id=str(chapter.pk))
    task_state = state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=(chapter.pk, "approve", task_state.pk)
    )

    # The editor cannot approve their own submission.
    client.force_login(editor)
    refused = client.post(approve)
    said = [str(message).strip() for message in get_messages(refused.wsgi_request)]
    assert "アクセス権がありません。" in said
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    # The reviewer sees it on the dashboard and approves it.
    client.force_login(reviewer)
    dashboard = client.get("/cms/").content.decode()
    assert "窓口のデジタル化" in dashboard
    assert client.get(reverse("wagtailadmin_pages:edit", args=(chapter.pk,))).status_code == 200
    response = client.post(approve)
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    chapter.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert chapter.live
