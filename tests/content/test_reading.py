"""Reading analytics: the recording service, the endpoint the script posts to, the figures."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from content.models import ChapterPage, ChapterRead, GuidebookPage
from content.selectors import chapter_reading_stats
from content.services import MAX_SECONDS_PER_REPORT, chapter_read_record
from content.signals import chapter_read
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _post(client, chapter, **payload):
    return client.post(
        f"/guide/chapters/{chapter.pk}/read/",
        data=json.dumps(payload),
        content_type="application/json",
    )


def test_first_report_creates_the_record_and_later_ones_add_up(chapters):
    user = UserFactory()
    chapter = chapters[0]
    record = chapter_read_record(user=user, page=chapter, seconds_active=40, reached_end=False)
    assert (record.active_seconds, record.reached_end, record.read_count) == (40, False, 1)
    record = chapter_read_record(user=user, page=chapter, seconds_active=25, reached_end=True)
    assert (record.active_seconds, record.reached_end, record.read_count) == (65, True, 1)
    record = chapter_read_record(user=user, page=chapter, seconds_active=5, reached_end=False)
    assert record.reached_end is True  # never goes back
    assert ChapterRead.objects.count() == 1


def test_forged_seconds_are_clamped(chapters):
    user = UserFactory()
    record = chapter_read_record(
        user=user, page=chapters[0], seconds_active=99_999, reached_end=False
    )
    assert record.active_seconds == MAX_SECONDS_PER_REPORT
    record = chapter_read_record(user=user, page=chapters[0], seconds_active=-50, reached_end=False)
    assert record.active_seconds == MAX_SECONDS_PER_REPORT


def test_a_report_after_a_long_pause_is_a_new_visit(chapters):
    user = UserFactory()
    chapter_read_record(user=user, page=chapters[0], seconds_active=10, reached_end=False)
    ChapterRead.objects.update(last_read_at=timezone.now() - dt.timedelta(hours=2))
    record = chapter_read_record(user=user, page=chapters[0], seconds_active=10, reached_end=False)
    assert record.read_count == 2


def test_signal_is_sent_after_commit(chapters, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, user, page, reached_end, **kwargs):
        received.append((user.pk, page.pk, reached_end))

    chapter_read.connect(listener)
    try:
        user = UserFactory()
        with django_capture_on_commit_callbacks(execute=True):
            chapter_read_record(user=user, page=chapters[1], seconds_active=3, reached_end=True)
    finally:
        chapter_read.disconnect(listener)
    assert received == [(user.pk, chapters[1].pk, True)]


def test_endpoint_records_for_a_signed_in_reader(client, chapters):
    user = UserFactory()
    client.force_login(user)
    response = _post(client, chapters[0], seconds_active=30, reached_end=True)
    assert response.status_code == 200
    assert response.json() == {"ok": True, "active_seconds": 30, "reached_end": True}
    assert ChapterRead.objects.get(user=user, page=chapters[0]).reached_end


def test_anonymous_reading_is_never_recorded(client, chapters):
    response = _post(client, chapters[0], seconds_active=30, reached_end=True)
    assert response.status_code == 403
    assert not ChapterRead.objects.exists()


def test_endpoint_requires_the_csrf_token(chapters):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    assert _post(client, chapters[0], seconds_active=30, reached_end=False).status_code == 403
    page = client.get(chapters[0].url).text
    token = page.split('data-csrf-token="')[1].split('"')[0]
    response = client.post(
        f"/guide/chapters/{chapters[0].pk}/read/",
        data=json.dumps({"seconds_active": 30, "reached_end": False}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200


def test_endpoint_is_throttled_per_person_and_chapter(client, chapters):
    client.force_login(UserFactory())
    assert _post(client, chapters[0], seconds_active=10, reached_end=False).status_code == 200
    throttled = _post(client, chapters[0], seconds_active=10, reached_end=False)
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "10"
    assert ChapterRead.objects.get().active_seconds == 10
    # another chapter is not throttled by the first
    assert _post(client, chapters[1], seconds_active=10, reached_end=False).status_code == 200


def test_endpoint_rejects_drafts_other_pages_and_bad_payloads(client, chapters, edition):
    client.force_login(UserFactory())
    draft = ChapterPage.objects.get(slug="draft")
    assert _post(client, draft, seconds_active=10, reached_end=False).status_code == 404
    assert _post(client, edition, seconds_active=10, reached_end=False).status_code == 404
    assert _post(client, chapters[0], seconds_active="x", reached_end=False).status_code == 400
    assert _post(client, chapters[1], seconds_active=5, reached_end="yes").status_code == 400
    assert client.get(f"/guide/chapters/{chapters[0].pk}/read/").status_code == 405
    assert not ChapterRead.objects.exists()


def test_stats_per_chapter(chapters, django_assert_num_queries):
    readers = UserFactory.create_batch(3)
    for seconds, user in zip((60, 120, 600), readers, strict=True):
        chapter_read_record(user=user, page=chapters[0], seconds_active=seconds, reached_end=True)
    chapter_read_record(user=readers[0], page=chapters[1], seconds_active=30, reached_end=False)
    with django_assert_num_queries(3):
        stats = {row["id"]: row for row in chapter_reading_stats()}
    assert stats[chapters[0].pk]["readers"] == 3
    assert stats[chapters[0].pk]["median_seconds"] == 120
    assert stats[chapters[0].pk]["reached_end_share"] == 1.0
    assert stats[chapters[1].pk]["reached_end_share"] == 0.0
    assert stats[chapters[2].pk]["readers"] == 0
    assert stats[chapters[2].pk]["median_seconds"] is None

    from lms.models import User

    only_first = User.objects.filter(pk=readers[0].pk)
    stats = {row["id"]: row for row in chapter_reading_stats(users_qs=only_first)}
    assert stats[chapters[0].pk]["readers"] == 1


def test_stats_query_count_does_not_grow(chapters, django_assert_num_queries):
    for user in UserFactory.create_batch(10):
        for chapter in chapters:
            chapter_read_record(user=user, page=chapter, seconds_active=10, reached_end=True)
    with django_assert_num_queries(3):
        chapter_reading_stats()


def test_the_table_of_contents_marks_the_chapters_the_reader_finished(
    client, demo_guidebook, django_assert_max_num_queries
):
    """ux (c) Progress: the edition's chapter list says which chapters this reader has read
    to the end, and how many of all; a chapter only opened is not marked."""
    edition = GuidebookPage.objects.get(slug="summary")
    first, second, *_rest = list(edition.chapters())
    reader = UserFactory()
    chapter_read_record(user=reader, page=first, seconds_active=120, reached_end=True)
    chapter_read_record(user=reader, page=second, seconds_active=10, reached_end=False)
    chapter_read_record(user=UserFactory(), page=second, seconds_active=90, reached_end=True)
    client.force_login(reader)
    total = len(edition.chapters())
    page = client.get(edition.url).text
    assert f"全{total}章のうち1章を読み終えました。" in page
    items = page.split('class="chapter-list__item"')[1:]
    assert first.title in items[0] and "読了" in items[0]
    assert second.title in items[1] and "読了" not in items[1]
    client.logout()
    anonymous = client.get(edition.url).text
    assert "読了" not in anonymous and "読み終えました" not in anonymous
    client.force_login(reader)
    with django_assert_max_num_queries(25):
        client.get(edition.url)
