"""The page tree of the guidebook.

    Root > HomePage (site root, created by a migration)
         > GuidebookIndexPage (/guide/: editions, search, glossary)
           > GuidebookPage (an edition: the full guidebook or the summary edition)
             > ChapterPage (in tree order; the order editors give them in the admin)

The LMS owns "/" ("my training"), so the site root's own URL is never served; readers enter at
the guidebook index. Every page type carries optional English texts shown when the reader's
language is English.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import ChapterBodyBlock
from ..text import READING_CHARS_PER_MINUTE, stream_plain_text
from .bilingual import pick

if TYPE_CHECKING:
    from django.http import HttpRequest


def english_panels(*names: str) -> MultiFieldPanel:
    return MultiFieldPanel(
        [FieldPanel(name) for name in names], heading=_("English"), classname="collapsed"
    )


class BilingualTitleMixin(models.Model):
    """English title and summary, shown instead of the Japanese ones in the English UI."""

    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_en = models.TextField(_("summary in English"), blank=True)

    class Meta:
        abstract = True

    @property
    def display_title(self) -> str:
        return pick(self.title, self.title_en)

    @property
    def display_summary(self) -> str:
        return pick(self.summary, self.summary_en)


class HomePage(BilingualTitleMixin, Page):  # noqa: DJ008 - Page.__str__ is the title
    """The site root. Created by a data migration so that ``migrate`` gives a working tree.

    Its URL is "/", which the LMS's "my training" view answers; it exists to hold the
    guidebook index and the course index and to show them when served elsewhere. It names no
    ``subpage_types``: each index says it belongs here (``parent_page_types``), so content
    need not know the apps above it.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro"), english_panels("title_en")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["guide_indexes"] = GuidebookIndexPage.objects.child_of(self).live()
        return context


class GuidebookIndexPage(BilingualTitleMixin, Page):  # noqa: DJ008 - Page.__str__ is the title
    """The entrance to the guidebook (/guide/): its editions, search and glossary.

    Search, the glossary and the PDF downloads are plain Django views under the same prefix
    (``content/urls.py``), so they share the guidebook's address.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("intro"),
        english_panels("title_en", "summary_en"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.GuidebookPage"]
    max_count = 1

    class Meta:
        verbose_name = _("guidebook index")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["editions"] = (
            GuidebookPage.objects.child_of(self).live().public().specific().order_by("path")
        )
        return context


class Edition(models.TextChoices):
    FULL = "full", _("Full edition")
    SUMMARY = "summary", _("Summary edition")


class GuidebookPage(BilingualTitleMixin, Page):  # noqa: DJ008 - Page.__str__ is the title
    """One edition of the DX guidebook: the full text or the summary edition (概要版).

    The summary edition is what the mandatory all-staff course has everyone read; the full one
    is the reference. Chapters are children, in the order editors arrange them. The whole
    edition can be downloaded as one PDF.
    """

    edition = models.CharField(
        _("edition"), max_length=16, choices=Edition.choices, default=Edition.FULL
    )
    cover_text = RichTextField(
        _("cover text"), blank=True, features=["bold", "italic", "link", "ul"]
    )
    audience = models.CharField(
        _("audience"), max_length=200, blank=True, help_text=_("Who the edition is written for.")
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), null=True, blank=True, help_text=_("e.g. 2026 for 令和8年度.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("edition"),
        FieldPanel("summary"),
        FieldPanel("cover_text"),
        FieldPanel("audience"),
        FieldPanel("fiscal_year"),
        english_panels("title_en", "summary_en"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("cover_text"),
    ]
    parent_page_types = ["content.GuidebookIndexPage"]
    subpage_types = ["content.ChapterPage"]

    class Meta:
        verbose_name = _("guidebook edition")

    def chapters(self):
        """Live chapters in reading order."""
        return ChapterPage.objects.child_of(self).live().public().order_by("path")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        context = super().get_context(request, *args, **kwargs)
        chapters = list(self.chapters())
        context["chapters"] = chapters
        context["total_minutes"] = sum(chapter.reading_minutes for chapter in chapters)
        context["index_page"] = self.get_parent()
        from ..selectors import chapters_finished  # selectors read these models

        finished = chapters_finished(user=request.user, chapter_ids=[c.pk for c in chapters])
        context["finished_ids"] = finished
        context["finished_count"] = len(finished)
        return context


class ChapterPage(BilingualTitleMixin, Page):  # noqa: DJ008 - Page.__str__ is the title
    """A chapter of an edition: a StreamField body whose headings make the table of contents.

    Sections are the chapter's headings (level 2, with level-3 subsections), so a chapter reads
    as one page on a phone and prints as one piece. Reading is recorded for signed-in readers by
    a small script that posts to ``content:chapter_read``.
    """

    body = StreamField(ChapterBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        english_panels("title_en", "summary_en"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["content.GuidebookPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("chapter")

    @property
    def plain_text(self) -> str:
        if not hasattr(self, "_plain_text"):
            self._plain_text = stream_plain_text(self.body)
        return self._plain_text

    @property
    def reading_minutes(self) -> int:
        return max(1, round(len(self.plain_text) / READING_CHARS_PER_MINUTE))

    def table_of_contents(self) -> list[dict]:
        """Headings of the body with their anchors, in order: the chapter's sections."""
        return [item for item in self.body_items() if item["anchor"]]

    def body_items(self) -> list[dict]:
        """Each body block with the anchor its heading gets (the TOC links to it)."""
        items = []
        for number, child in enumerate(self.body, start=1):
            anchor = ""
            if child.block_type == "heading":
                anchor = child.value.get("anchor") or f"section-{number}"
            items.append(
                {
                    "block": child,
                    "anchor": anchor,
                    "text": child.value.get("text", "") if anchor else "",
                    "level": child.value.get("level", "2") if anchor else "",
                }
            )
        return items

    def glossary_terms(self) -> list:
        """Glossary terms the chapter's key-term blocks link to, without repeats."""
        seen: dict[int, Any] = {}
        for child in self.body:
            if child.block_type == "key_terms":
                for term in child.value.get("terms") or []:
                    if term is not None:
                        seen.setdefault(term.pk, term)
        return list(seen.values())

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        context = super().get_context(request, *args, **kwargs)
        edition = self.get_parent().specific
        siblings = ChapterPage.objects.sibling_of(self).live().public().order_by("path")
        chapters = list(siblings.only("id", "title", "title_en", "path", "url_path", "depth"))
        position = next((i for i, c in enumerate(chapters) if c.pk == self.pk), 0)
        context.update(
            {
                "edition": edition,
                "index_page": edition.get_parent(),
                "body_items": self.body_items(),
                "toc": self.table_of_contents(),
                "chapter_number": position + 1,
                "chapter_count": len(chapters),
                "previous_chapter": chapters[position - 1] if position > 0 else None,
                "next_chapter": chapters[position + 1] if position + 1 < len(chapters) else None,
                "record_reading": request.user.is_authenticated and self.live,
            }
        )
        return context
