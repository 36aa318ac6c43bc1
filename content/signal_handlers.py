"""Keep the guidebook search index current as pages are published and unpublished, and
its cached vocabulary current as the city vocabulary and the glossary change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from . import lexicon
from .models import CityVocabulary, GlossaryTerm
from .services import search_entry_delete, search_entry_update


@receiver(page_published, dispatch_uid="content_index_on_publish")
def index_on_publish(sender, instance, **kwargs):
    search_entry_update(page=instance)


@receiver(page_unpublished, dispatch_uid="content_unindex_on_unpublish")
def unindex_on_unpublish(sender, instance, **kwargs):
    search_entry_delete(page=instance)


@receiver(post_save, sender=CityVocabulary, dispatch_uid="content_vocabulary_saved")
@receiver(post_delete, sender=CityVocabulary, dispatch_uid="content_vocabulary_deleted")
@receiver(post_save, sender=GlossaryTerm, dispatch_uid="content_glossary_saved")
@receiver(post_delete, sender=GlossaryTerm, dispatch_uid="content_glossary_deleted")
def forget_search_vocabulary(sender, **kwargs):
    """The search's synonyms come from these: drop the cached copy (content.lexicon)."""
    lexicon.invalidate()
