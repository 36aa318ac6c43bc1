"""The Wagtail admin speaks Japanese where editors work, and our words do not leak into it."""

import pytest
from django.test import override_settings
from django.utils import translation
from wagtail.models import WorkflowState

from content.models import ChapterPage
from courses.models import AttemptStatus
from lms.models import EnrollmentStatus
from org.models import RoleGroup
from tests.factories import UserFactory
from tests.factories.courses import make_question

pytestmark = pytest.mark.django_db


def test_login_page_is_japanese(client):
    html = client.get("/cms/login/").content.decode()
    assert "パスワード" in html
    assert "ログイン状態を保持する" in html
    for english in (">Password<", "Remember me", "JavaScript is required"):
        assert english not in html


def test_question_list_is_japanese_and_shows_the_question(client):
    asked = "自治体DXが求められる背景として正しいものはどれですか。"
    make_question(name="dx-backgrounds", text=asked)
    client.force_login(UserFactory(groups=[RoleGroup.EDITORS]))
    html = client.get("/cms/snippets/courses/question/").content.decode()
    assert asked in html
    assert "一括操作" in html and "すべて選択" in html
    for english in ("Bulk actions", "Select all", "Sort by", "More options for", "Show filters"):
        assert english not in html
    # The question's text leads its row and links to the editor; the short name is beside it.
    row = html.split(asked, 1)[0].rsplit("<tr", 1)[1]
    assert 'href="/cms/snippets/courses/question/edit/' in row and "dx-backgrounds" not in row
    # The new-question page's breadcrumb (B21: 「New: 設問」).
    add = client.get("/cms/snippets/courses/question/add/").content.decode()
    assert "新規：設問" in add and "New:" not in add


def test_no_update_check(admin_client):
    html = admin_client.get("/cms/").content.decode()
    assert "w-upgrade" not in html
    assert "releases.wagtail.io" not in html


@override_settings(WAGTAIL_ENABLE_UPDATE_CHECK=True)
def test_the_update_check_marker_is_what_wagtail_draws(admin_client):
    # Holds the test above: with the check on, the marker is there.
    assert "w-upgrade" in admin_client.get("/cms/").content.decode()


def test_in_progress_is_not_attending_a_course(client, edition):
    with translation.override("ja"):
        assert str(EnrollmentStatus.IN_PROGRESS.label) == "受講中"
        assert str(AttemptStatus.IN_PROGRESS.label) == "解答中"
    editor = UserFactory(groups=[RoleGroup.EDITORS])
    chapter = ChapterPage(title="窓口のデジタル化", slug="madoguchi", live=False, body="[]")
    edition.add_child(instance=chapter)
    chapter.save_revision(user=editor)
    chapter.get_workflow().start(chapter, editor)
    assert WorkflowState.objects.get(object_id=str(chapter.pk)).status == "in_progress"
    client.force_login(UserFactory(groups=[RoleGroup.REVIEWERS]))
    html = client.get("/cms/reports/workflow/").content.decode()
    assert "窓口のデジタル化" in html
    assert "受講中" not in html
