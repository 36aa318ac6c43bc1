"""Keep the guidebook search index current as pages are published and unpublished."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .services import search_entry_delete, search_entry_update


@receiver(page_published, dispatch_uid="content_index_on_publish")
def index_on_publish(sender, instance, **kwargs):
    search_entry_update(page=instance)


@receiver(page_unpublished, dispatch_uid="content_unindex_on_unpublish")
def unindex_on_unpublish(sender, instance, **kwargs):
    search_entry_delete(page=instance)
