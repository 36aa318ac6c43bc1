"""The glossary: terms that chapters link to and readers see as tooltips."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from .bilingual import pick


class GlossaryTerm(index.Indexed, models.Model):
    """One term of the DX vocabulary (e.g. BPR, SVO, DX PRO) with a short definition.

    A snippet rather than a page: terms are reused by many chapters and shown inline, never
    on a page of their own except in the glossary list.
    """

    term = models.CharField(_("term"), max_length=80, unique=True)
    reading = models.CharField(
        _("reading (kana)"), max_length=120, blank=True, help_text=_("Used to sort the glossary.")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=False)
    definition = models.TextField(_("definition"))
    term_en = models.CharField(_("term in English"), max_length=80, blank=True)
    definition_en = models.TextField(_("definition in English"), blank=True)

    panels = [
        FieldPanel("term"),
        FieldPanel("reading"),
        FieldPanel("slug"),
        FieldPanel("definition"),
        MultiFieldPanel([FieldPanel("term_en"), FieldPanel("definition_en")], heading=_("English")),
    ]
    search_fields = [
        index.SearchField("term"),
        index.SearchField("reading"),
        index.SearchField("definition"),
        index.AutocompleteField("term"),
    ]

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["reading", "term"]

    def __str__(self) -> str:
        return self.term

    @property
    def display_term(self) -> str:
        return pick(self.term, self.term_en)

    @property
    def display_definition(self) -> str:
        return pick(self.definition, self.definition_en)
