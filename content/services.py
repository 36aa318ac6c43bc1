"""Every write of the content app: reading records and the search index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page

from . import japanese, lexicon
from .models import ChapterPage, ChapterRead, GuidebookIndexPage, GuidebookPage, SearchEntry
from .signals import chapter_read
from .text import stream_plain_text

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

#: The most one report may add: the script reports at least this often while someone reads,
#: so anything larger is a forged or replayed request.
MAX_SECONDS_PER_REPORT = 300

#: A report this long after the previous one starts a new visit.
NEW_VISIT_AFTER_SECONDS = 30 * 60

#: Page types that are indexed for the guidebook search.
SEARCHABLE_PAGE_TYPES = (ChapterPage, GuidebookPage, GuidebookIndexPage)


@transaction.atomic
def chapter_read_record(
    *,
    user: AbstractBaseUser,
    page: ChapterPage,
    seconds_active: int,
    reached_end: bool,
) -> ChapterRead:
    """Add a reading report of ``user`` on ``page`` to their one record for that chapter.

    Active seconds add up (clamped to 0..MAX_SECONDS_PER_REPORT per report), ``reached_end``
    never goes back to False, and a report after a long pause counts as a new visit. Sends
    ``content.signals.chapter_read`` once the transaction commits. Courses call this too, when
    a lesson shows a chapter.
    """
    seconds = max(0, min(int(seconds_active), MAX_SECONDS_PER_REPORT))
    now = timezone.now()
    record, created = ChapterRead.objects.select_for_update().get_or_create(
        user=user,
        page=page,
        defaults={
            "first_read_at": now,
            "last_read_at": now,
            "active_seconds": seconds,
            "reached_end": bool(reached_end),
            "read_count": 1,
        },
    )
    if not created:
        new_visit = (now - record.last_read_at).total_seconds() > NEW_VISIT_AFTER_SECONDS
        ChapterRead.objects.filter(pk=record.pk).update(
            last_read_at=now,
            active_seconds=F("active_seconds") + seconds,
            reached_end=record.reached_end or bool(reached_end),
            read_count=F("read_count") + (1 if new_visit else 0),
        )
        record.refresh_from_db()
    transaction.on_commit(
        lambda: chapter_read.send(
            sender=ChapterRead, user=user, page=page, reached_end=record.reached_end
        )
    )
    return record


def _searchable_text(page: Page) -> str:
    parts = [page.title, getattr(page, "summary", "")]
    if isinstance(page, ChapterPage):
        parts.append(stream_plain_text(page.body))
    elif isinstance(page, GuidebookPage):
        parts.append(page.audience)
    return "\n".join(part for part in parts if part)


def _glossary_keywords(page: Page) -> tuple[str, str]:
    """The English terms and the kana readings of the glossary terms a chapter lists as its
    key terms: indexed (so the chapter listing 伴走者 is found by ばんそうしゃ or "companion
    reviewer") but not part of the text shown in snippets. A change to a glossary term
    reaches these on the chapter's next publish (or ``search_index_rebuild``); the query side
    (``content.lexicon``) follows the glossary at once."""
    if not isinstance(page, ChapterPage):
        return "", ""
    english, readings = [], []
    for child in page.body:
        if child.block_type != "key_terms":
            continue
        for term in child.value.get("terms") or []:
            if term is None:
                continue
            english.append(term.term_en)
            readings.append(japanese.to_katakana(japanese.normalize(term.reading)))
    return "\n".join(filter(None, english)), "".join(readings)


def _forget_vocabulary() -> None:
    lexicon.invalidate()
    transaction.on_commit(lexicon.invalidate)


@transaction.atomic
def search_entry_update(*, page: Page) -> SearchEntry | None:
    """Index ``page`` as it is now; remove it from the index when it is not live."""
    page = page.specific
    if not isinstance(page, SEARCHABLE_PAGE_TYPES) or not page.live:
        search_entry_delete(page=page)
        return None
    text = _searchable_text(page)
    tokens = japanese.analyse(text)
    english, glossary_readings = _glossary_keywords(page)
    terms = japanese.index_terms(tokens) + japanese.index_terms(japanese.analyse(english))
    entry, _ = SearchEntry.objects.update_or_create(
        page=page,
        defaults={
            "title": page.title,
            "title_tokens": japanese.token_string(
                japanese.index_terms(japanese.analyse(page.title))
            ),
            "tokens": japanese.token_string(terms),
            "readings": japanese.reading_text(tokens) + glossary_readings,
            "text": text,
            "token_count": len(terms),
        },
    )
    _forget_vocabulary()
    return entry


@transaction.atomic
def search_entry_delete(*, page: Page) -> None:
    """Take ``page`` out of the guidebook search."""
    SearchEntry.objects.filter(page_id=page.pk).delete()
    _forget_vocabulary()


def search_index_rebuild() -> int:
    """Re-index every live guidebook page and drop entries of anything else; returns the count."""
    count = 0
    live_ids = []
    for model in SEARCHABLE_PAGE_TYPES:
        for page in model.objects.live():
            search_entry_update(page=page)
            live_ids.append(page.pk)
            count += 1
    SearchEntry.objects.exclude(page_id__in=live_ids).delete()
    return count
