"""The editor's journey in a real browser: edit a chapter, another person approves it, edit a
question.

A content editor (the Editors group, as the migrations create it) opens a guidebook chapter in
the CMS, changes its title and summary and submits it to the 「DX推進課レビュー」 workflow. The
change is not live yet. A member of the 「DX推進課レビュー」 group (another person, not an administrator), approves it from the
CMS dashboard; the chapter's public page then shows the new text. The editor goes on to the
question bank and changes a question's text. Every page is checked with axe and photographed
at 390 and 1280 px, like every e2e page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from content.models import ChapterPage
from core.fiscal import current_fiscal_year
from courses.models import QuestionType
from org.models import RoleGroup
from tests.factories import UserFactory, make_question

from .conftest import DESKTOP

pytestmark = [
    pytest.mark.integration,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
NEW_TITLE = "窓口のデジタル化（改訂版）"
NEW_SUMMARY = "申請書を紙からオンラインに移すときの順番を、改訂して説明します。"
NEW_QUESTION = "窓口の申請をオンラインにするとき、最初に見直すことはどれですか。"

#: What axe finds in Wagtail's own admin, which is not our code: Draftail's editable areas have
#: no accessible name, the page editor's minimap list scrolls without focus, the success
#: message's green is 2.85:1, and a ListBlock's items (our table block's cells) render without
#: a label of their own. Anything else on an admin page fails the test like on our pages.
WAGTAIL_ADMIN = (
    ("aria-input-field-name", r"^div\[aria-describedby=\"placeholder-"),
    ("scrollable-region-focusable", r"^\.w-minimap__list$"),
    ("color-contrast", r"^\.success$"),
    ("label", r"^#body-\d+-value-(header|rows)-"),
)


def test_editor_edits_a_chapter_another_person_approves_and_a_question(people):
    from devtools.demo.guidebook import guidebook_seed

    guidebook_seed(fiscal_year=current_fiscal_year())
    question = make_question(QuestionType.SINGLE, name="e2e-editor", text="古い設問の文です。")
    chapter = ChapterPage.objects.live().order_by("path").first()
    old_title = chapter.title
    editor_user = UserFactory(
        employee_number="380001", display_name="編集 担当", groups=[RoleGroup.EDITORS]
    )
    reviewer_user = UserFactory(
        employee_number="380002", display_name="審査 担当", groups=[RoleGroup.REVIEWERS]
    )

    # --- The editor changes the chapter and submits it for review ---------------------------
    editor = people("editor", DESKTOP)
    editor.sign_in(editor_user.employee_number, PASSWORD)
    editor.goto(f"/cms/pages/{chapter.pk}/edit/", accept=WAGTAIL_ADMIN)
    editor.page.locator("#id_title").fill(NEW_TITLE)
    editor.page.locator("#id_summary").fill(NEW_SUMMARY)
    # The footer's more-actions toggle holds "Submit to DX推進課レビュー".
    submit = editor.page.locator("button[name=action-submit]")
    if not submit.is_visible():
        editor.page.locator("footer [data-w-dropdown-target=toggle]").first.click()
    submit.click()
    editor.page.wait_for_load_state("load")
    expect(editor.page.locator(".messages")).to_contain_text(NEW_TITLE)
    editor.axe(accept=WAGTAIL_ADMIN)
    chapter.refresh_from_db()
    assert chapter.title == old_title, "the change went live before anyone approved it"
    assert chapter.current_workflow_state is not None

    # --- Another person approves it from the CMS dashboard ----------------------------------
    reviewer = people("reviewer", DESKTOP)
    reviewer.sign_in(reviewer_user.employee_number, PASSWORD)
    reviewer.goto("/cms/", accept=WAGTAIL_ADMIN)
    # The row of the chapter in 「あなたのレビューの待機中」: its actions are behind 「操作」.
    row = reviewer.page.locator("tr", has_text=NEW_TITLE).first
    row.locator("[data-w-dropdown-target=toggle]").click()
    approve = row.locator("button[data-workflow-action-url*='/approve/']:not([data-launch-modal])")
    with reviewer.page.expect_navigation():
        approve.click()
    reviewer.axe(accept=WAGTAIL_ADMIN)
    chapter.refresh_from_db()
    assert chapter.title == NEW_TITLE
    assert chapter.live and not chapter.has_unpublished_changes
    reviewer.goto(chapter.url)
    expect(reviewer.page.locator("main h1")).to_contain_text(NEW_TITLE)

    # --- The editor changes a question in the question bank ---------------------------------
    editor.goto("/cms/snippets/courses/question/", accept=WAGTAIL_ADMIN)
    expect(editor.page.locator("main")).to_contain_text("古い設問の文です。")
    editor.goto(f"/cms/snippets/courses/question/edit/{question.pk}/", accept=WAGTAIL_ADMIN)
    editor.page.locator("#id_text").fill(NEW_QUESTION)
    editor.page.locator("button[type=submit]:not([name])").first.click()
    editor.page.wait_for_url(re.compile(r"/cms/snippets/courses/question/(\?.*)?$"))
    editor.axe(accept=WAGTAIL_ADMIN)
    question.refresh_from_db()
    assert question.text == NEW_QUESTION
    people.audit.assert_clean()
