"""The editorial workflow: editors submit, the DX office (Moderators) approves and publishes."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, WorkflowState

from content.models import ChapterPage, GuidebookIndexPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _staff(group: str):
    return UserFactory(groups=[group])


def test_workflow_is_assigned_to_the_guidebook(index_page):
    workflow = index_page.get_workflow()
    assert workflow.name == "DX推進課レビュー"
    task = workflow.tasks.get().specific
    assert set(task.groups.values_list("name", flat=True)) == {"Moderators", "DX推進課レビュー"}


def test_editor_submits_and_moderator_approves(edition):
    editor, moderator = _staff("Editors"), _staff("Moderators")
    chapter = ChapterPage(title="新しい章", slug="new", live=False, body="[]")
    edition.add_child(instance=chapter)
    revision = chapter.save_revision(user=editor)
    assert chapter.permissions_for_user(editor).can_edit()
    assert not chapter.permissions_for_user(editor).can_publish()

    workflow = chapter.get_workflow()
    workflow.start(chapter, editor)
    state = WorkflowState.objects.get(object_id=str(chapter.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state.specific
    task = task_state.task.specific
    assert task.user_can_access_editor(chapter, moderator)
    assert [action[0] for action in task.get_actions(chapter, moderator)][:1] == ["reject"]
    assert task.get_actions(chapter, editor) == []

    task.on_action(task_state, moderator, "approve")
    chapter.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert chapter.live
    assert chapter.live_revision_id is not None
    assert chapter.live_revision.pk >= revision.pk


def test_editor_can_create_pages_and_glossary_terms_in_the_admin(client, edition):
    editor = _staff("Editors")
    client.force_login(editor)
    response = client.get(f"/cms/pages/add/content/chapterpage/{edition.pk}/")
    assert response.status_code == 200
    assert client.get("/cms/snippets/content/glossaryterm/add/").status_code == 200


def test_plain_staff_cannot_edit(client, edition):
    client.force_login(UserFactory())
    response = client.get(f"/cms/pages/add/content/chapterpage/{edition.pk}/")
    assert response.status_code in (302, 403)


def test_moderators_group_has_publish_permission_on_the_tree():
    moderators = Group.objects.get(name="Moderators")
    root = Page.objects.get(depth=1)
    assert moderators.page_permissions.filter(page=root, permission__codename="publish_page")
    assert GuidebookIndexPage.objects.get().get_workflow() is not None
