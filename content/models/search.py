"""The Japanese-aware search index of the guidebook."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """The tokenised text of one live guidebook page, kept current on publish and unpublish.

    Wagtail's database backend splits on spaces, which Japanese does not have, so it cannot
    find 業務 in 業務改善. Here the text is split into words by a morphological analyser
    (``content.search.tokens``), normalised (NFKC, case, orthographic variants) and stored as a
    space-delimited string with a space at each end: a word is found with one
    ``LIKE '% word %'`` per query word, on SQLite and PostgreSQL alike. ``readings`` holds the
    katakana reading of the text so that a query typed in kana (でじたる) finds デジタル.
    """

    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="guidebook_search_entry",
    )
    title = models.CharField(_("title"), max_length=255)
    title_tokens = models.TextField(_("title tokens"), blank=True)
    tokens = models.TextField(_("tokens"), blank=True)
    readings = models.TextField(_("readings"), blank=True)
    text = models.TextField(_("plain text"), blank=True)
    token_count = models.PositiveIntegerField(_("number of tokens"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return self.title
