"""The words editors add to the SVO checker's lists from the CMS (Settings > SVO checker words).

The checker's own lists are files in ``courses/svo/data/`` (reviewed with the code); what a
city adds here - a catch-all verb its staff use, a local rule word, a system's name that counts
as a means - is merged with them at check time (``courses.svo.lexicon``). Saving clears the
cached words, so workers use them on their next check; findings already stored are
recomputed when their statement is next saved.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from core import shared_cache


@register_setting(icon="list-ul")
class SvoCheckerWords(BaseGenericSetting):
    """Extra words for the SVO checker, one per line, added to the lists in the data files."""

    vague_verbs = models.TextField(
        _("catch-all verbs"),
        blank=True,
        help_text=_("Verbs that hide what is done, e.g. 調整. One per line."),
    )
    rule_markers = models.TextField(
        _("rule or habit words in a purpose"),
        blank=True,
        help_text=_(
            "Words that give only a rule or a habit as the reason, e.g. 慣例. One per line."
        ),
    )
    outcome_markers = models.TextField(
        _("outcome words in a purpose"),
        blank=True,
        help_text=_("Words that name an outcome, e.g. 防ぐ. One per line."),
    )
    how_means = models.TextField(
        _("means in an improvement idea"),
        blank=True,
        help_text=_(
            "Tools, channels, forms or systems that make an idea concrete, e.g. your "
            "groupware's name. One per line."
        ),
    )
    how_empty_words = models.TextField(
        _("empty improvement words"),
        blank=True,
        help_text=_("Words that name no means, e.g. 効率化. One per line."),
    )

    panels = [
        FieldPanel("vague_verbs"),
        FieldPanel("rule_markers"),
        FieldPanel("outcome_markers"),
        FieldPanel("how_means"),
        FieldPanel("how_empty_words"),
    ]

    class Meta:
        verbose_name = _("SVO checker words")
        verbose_name_plural = _("SVO checker words")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        shared_cache.drop(CACHE_NAME)  # every process reads the words again


#: The name the merged words are kept under (``core.shared_cache``, ``courses.svo.lexicon``).
CACHE_NAME = "svo-checker-words-v1"
