"""Guidebook chapters built in code for the tests."""

import json

from content.models import ChapterPage, GuidebookPage


def make_chapter(edition: GuidebookPage, *, title: str, slug: str, body: list, publish=True):
    chapter = ChapterPage(
        title=title, slug=slug, summary=f"{title}の要約", body=json.dumps(body), live=publish
    )
    edition.add_child(instance=chapter)
    revision = chapter.save_revision()
    if publish:
        revision.publish()
    chapter.refresh_from_db()
    return chapter
