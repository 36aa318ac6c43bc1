"""The city's own search vocabulary: groups of terms that mean the same thing to its staff."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

#: Limits that keep one group a group of synonyms, not a list of topics.
MAX_TERMS = 30
MAX_TERM_LENGTH = 60


class CityVocabulary(models.Model):
    """One group of equivalent search terms (ハンコ = 押印 = 印鑑), kept by editors in the CMS.

    The guidebook search treats every term of a group as the same word, in both directions;
    it adds to the synonyms of Sudachi's dictionary the city's own usage, product names and
    English terms. Terms are entered one per line.
    """

    terms = models.TextField(
        _("equivalent terms"),
        help_text=_(
            "One term per line; a search for any of them also finds the others "
            "(e.g. ハンコ, 押印, 印鑑)."
        ),
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("Why these terms go together.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [FieldPanel("terms"), FieldPanel("note")]

    class Meta:
        verbose_name = _("search vocabulary group")
        verbose_name_plural = _("search vocabulary")
        ordering = ["pk"]

    def __str__(self) -> str:
        return " = ".join(self.term_list()[:5])

    def term_list(self) -> list[str]:
        """The distinct terms, in the order typed, blank lines and stray spaces dropped."""
        seen: dict[str, None] = {}
        for line in (self.terms or "").splitlines():
            term = " ".join(line.split())
            if term:
                seen.setdefault(term, None)
        return list(seen)

    def clean(self) -> None:
        terms = self.term_list()
        if len(terms) < 2:
            raise ValidationError(
                {"terms": _("Enter at least two terms, one per line, that mean the same thing.")}
            )
        if len(terms) > MAX_TERMS:
            raise ValidationError(
                {"terms": _("A group holds at most %(count)d terms.") % {"count": MAX_TERMS}}
            )
        too_long = [term for term in terms if len(term) > MAX_TERM_LENGTH]
        if too_long:
            raise ValidationError(
                {
                    "terms": _("Terms are at most %(length)d characters: %(terms)s")
                    % {"length": MAX_TERM_LENGTH, "terms": ", ".join(too_long)}
                }
            )
        self.terms = "\n".join(terms)
