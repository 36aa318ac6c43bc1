"""Wagtail's default ``Site`` follows ``SITE_URL``.

Wagtail builds a page's full address (``page.full_url``: the CMS's live-page links,
the admin's search results, any sitemap) from the hostname and port of the page's ``Site``, not
from our settings. The content app's data migration creates that ``Site`` with Wagtail's
placeholder ``localhost:80``, which is nobody's address; so after every ``migrate`` (and in
``seed_demo``) the default ``Site`` is set to the host and port of ``SITE_URL``, and every
absolute link, ours (``core.links``) and Wagtail's, names one address.

Wagtail's ``Site.root_url`` says ``https`` for port 443 and ``http`` for any other port, and
it has no path: ``core.checks`` warns about a ``SITE_URL`` it cannot express that way.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Site

logger = logging.getLogger(__name__)


def site_url_host_and_port() -> tuple[str, int]:
    """The hostname and port ``SITE_URL`` names (the scheme's own port when it names none)."""
    parts = urlsplit(settings.SITE_URL)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def default_site_follow_site_url(*, using: str = "default") -> Site | None:
    """Set the default ``Site``'s hostname and port to ``SITE_URL``'s; the system acting
    (after ``migrate``, in ``seed_demo``), so no person's permission is asked.

    Returns the ``Site`` when it changed, ``None`` when there is no default site, it already
    matched, or another ``Site`` holds that hostname and port (Wagtail keeps them unique; that
    one is then logged and left for an administrator). Saved through the model, so Wagtail's
    cache of site root paths and our page caches drop their copies."""
    hostname, port = site_url_host_and_port()
    site = Site.objects.using(using).filter(is_default_site=True).first()
    if site is None or not hostname or (site.hostname, site.port) == (hostname, port):
        return None
    taken = (
        Site.objects.using(using).filter(hostname=hostname, port=port).exclude(pk=site.pk).exists()
    )
    if taken:
        logger.warning(
            "SITE_URL names %s:%s, which another Wagtail Site already has; "
            "the default Site (%s:%s) is left as it is.",
            hostname,
            port,
            site.hostname,
            site.port,
        )
        return None
    site.hostname, site.port = hostname, port
    site.save(using=using, update_fields=["hostname", "port"])
    return site


def follow_site_url_after_migrate(sender, *, apps, using: str = "default", **kwargs) -> None:
    """``post_migrate`` receiver of the content app (the app whose migration makes the site).

    Skipped while Wagtail's ``Site`` table is not there yet in the migrated state (e.g. after
    ``migrate wagtailcore zero``)."""
    try:
        apps.get_model("wagtailcore", "Site")
    except LookupError:
        return
    default_site_follow_site_url(using=using)
