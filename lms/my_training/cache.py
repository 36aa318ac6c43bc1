"""The rendered page "my training", kept per person until something it shows changes.

"My training" is everyone's home page, so it is read far more often than anything on it
changes. Building it costs a handful of queries, Wagtail's site look-up for each course link
and the rendering of every row and of the layout; kept in the shared cache, a repeat visit
costs one cache round trip (``MGET`` of the person's slot and the two versions below) and
the CSRF token put in its place (``lms.my_training.views``).

Correctness comes from versions, never from the bound on how long a page is kept. The slot
holds the page with the stamp it was built under, and is used only while the stamp is
current:

- the person's version (``VERSION_KEY``) is replaced whenever one of their enrollments or
  worksheets is written: the ``post_save`` and ``post_delete`` receivers below catch single
  rows (the completion engine, status changes, review decisions, which save the worksheet,
  admin edits); a reviewer's new name renews the versions of the authors they reviewed; an
  app that adds to the page (``panels``) renews them itself (surveys, for an answer);
- the site's epoch (``EPOCH_KEY``) is replaced by the set-based writers (fan-out, withdrawals,
  cancellations call ``my_training_changed_for_everyone``), when a roster import has been
  applied (staff names), when a page is published, unpublished, moved or deleted (course and
  exercise titles, links, the certificate setting), when a site changes, and by the apps
  that add to the page (surveys, for a questionnaire);
- the day (due dates, "overdue", the fiscal year) and the release (``config.release``), so a
  deployment never serves another build's HTML; the variant (the header's roles and name,
  the path) the view names; the language and the host (Wagtail links are relative only on
  their own site) are in the slot's key;
- an approval is a notice for ``APPROVAL_NOTICE_DAYS``: the slot expires the moment the
  first of its approvals stops being one.

A version is replaced right away and again once the transaction commits: a reader that took
the new version before the commit and read the old rows stores them under a version the
commit then retires. A missing version (evicted, never set) is simply a new one.

The cache is never needed: when Redis cannot be reached, the page is built as if nothing
were kept and every write goes on (a failed version change is logged, never raised into the
save that caused it). As a change made while Redis was away may have missed its version, no
page is kept longer than ``SLOT_MAX_SECONDS``.

Only a cache all processes share keeps this honest (a web worker must see the Celery worker's
change), so pages are kept with a shared backend (the ``pages`` cache: Redis from
``REDIS_URL``) and not with the per-process local-memory one, unless ``LMS_FRAGMENT_CACHE``
says otherwise (the tests turn it on: one process, one cache).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.connection import ConnectionProxy
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from config.release import release
from courses.models import SvoWorksheet
from org.models import RosterImport
from org.signals import roster_applied

from ..models import Enrollment, User

logger = logging.getLogger(__name__)

#: The cache (``settings.CACHES``) the pages and versions are kept in.
CACHE_ALIAS = "pages"


#: ``caches["pages"]``, looked up at each use (tests change ``CACHES``).
cache = ConnectionProxy(caches, CACHE_ALIAS)

SLOT_KEY = "lms:my-training:{user_id}:{language}:{host}"
#: The longest a page is kept: the bound on staleness if a version change was lost while the
#: cache could not be reached.
SLOT_MAX_SECONDS = 15 * 60
VERSION_KEY = "lms:my-training:version:{user_id}"
EPOCH_KEY = "lms:my-training:epoch"
#: Versions outlive the pages that use them; an expired one only costs a rebuild.
VERSION_TTL = 60 * 60 * 24 * 7
#: Local-memory and dummy caches are private to a process: another worker's change is unseen.
PRIVATE_BACKENDS = ("LocMemCache", "DummyCache")


def enabled() -> bool:
    """Whether pages are kept: as ``LMS_FRAGMENT_CACHE`` says, else with a shared cache."""
    explicit = getattr(settings, "LMS_FRAGMENT_CACHE", None)
    if explicit is not None:
        return bool(explicit)
    backend = settings.CACHES.get(CACHE_ALIAS, {}).get("BACKEND", "")
    return not backend.endswith(PRIVATE_BACKENDS)


def my_training_page(
    *, user_id: int, host: str, variant: str, render: Callable[[], tuple[str, dt.datetime | None]]
) -> str:
    """The person's page as it is now: the kept one when its stamp is current, else
    ``render()`` (the HTML and when it stops being true, if it does before tomorrow), kept.

    ``variant`` names what else the page shows that is the request's (the header's roles and
    name, the path), so a kept page is used only for the same."""
    slot = SLOT_KEY.format(
        user_id=user_id,
        language=translation.get_language() or "",
        host=hashlib.md5(host.encode(), usedforsecurity=False).hexdigest()[:8],
    )
    version, epoch = VERSION_KEY.format(user_id=user_id), EPOCH_KEY
    try:
        found = cache.get_many([slot, version, epoch])
        missing = {name: uuid.uuid4().hex for name in (version, epoch) if name not in found}
        if missing:
            cache.set_many(missing, VERSION_TTL)
            found.update(missing)
    except Exception:
        logger.warning("The page cache cannot be reached; building the page", exc_info=True)
        return render()[0]
    now = timezone.now()
    stamp = ":".join(
        [
            timezone.localdate(now).isoformat(),
            release(),
            found[version],
            found[epoch],
            hashlib.md5(variant.encode(), usedforsecurity=False).hexdigest(),
        ]
    )
    kept = found.get(slot)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    html, until = render()
    # The slot expires when the page stops being true; a new day is a new stamp.
    timeout = SLOT_MAX_SECONDS
    if until is not None:
        timeout = min(timeout, max(int((until - now).total_seconds()), 1))
    try:
        cache.set(slot, (stamp, html), timeout)
    except Exception:
        logger.warning("The page cache cannot be reached; the page is not kept", exc_info=True)
    return html


def _quietly(bump: Callable[[], None]) -> None:
    try:
        bump()
    except Exception:
        logger.warning("Could not renew a page cache version", exc_info=True)


def _now_and_on_commit(bump: Callable[[], None]) -> None:
    _quietly(bump)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _quietly(bump))


def my_training_changed(*, user_ids: Iterable[int]) -> None:
    """What these people's "my training" shows has changed: new versions for them."""
    names = [VERSION_KEY.format(user_id=user_id) for user_id in set(user_ids) if user_id]
    if names:
        _now_and_on_commit(
            lambda: cache.set_many({name: uuid.uuid4().hex for name in names}, VERSION_TTL)
        )


def my_training_changed_for_everyone() -> None:
    """A set-based write or a shared change (a page, a questionnaire, names): a new epoch."""
    _now_and_on_commit(lambda: cache.set(EPOCH_KEY, uuid.uuid4().hex, VERSION_TTL))


@receiver(post_save, sender=Enrollment, dispatch_uid="lms.my_training.enrollment_saved")
@receiver(post_delete, sender=Enrollment, dispatch_uid="lms.my_training.enrollment_deleted")
@receiver(post_save, sender=SvoWorksheet, dispatch_uid="lms.my_training.worksheet_saved")
@receiver(post_delete, sender=SvoWorksheet, dispatch_uid="lms.my_training.worksheet_deleted")
def _own_row_written(sender, instance, **kwargs) -> None:
    my_training_changed(user_ids=[instance.user_id])


@receiver(post_save, sender=User, dispatch_uid="lms.my_training.user_saved")
def _user_saved(sender, instance: User, update_fields=None, **kwargs) -> None:
    # A reviewer's name is on the notices of the authors they reviewed (a person's own name
    # is in the page's variant); sign-ins save last_login only.
    if update_fields is None or "display_name" in update_fields:
        authors = SvoWorksheet.objects.filter(reviews__reviewer=instance)
        my_training_changed(user_ids=authors.values_list("user_id", flat=True))


# Pages change what everyone sees when they go live, go, or move (any page: a parent's new
# slug changes its courses' links); a draft saved in the CMS changes nothing shown.
@receiver(page_published, dispatch_uid="lms.my_training.page_published")
@receiver(page_unpublished, dispatch_uid="lms.my_training.page_unpublished")
@receiver(post_page_move, dispatch_uid="lms.my_training.page_moved")
@receiver(post_delete, sender=Page, dispatch_uid="lms.my_training.page_deleted")
@receiver(post_save, sender=Site, dispatch_uid="lms.my_training.site_saved")
@receiver(post_delete, sender=Site, dispatch_uid="lms.my_training.site_deleted")
@receiver(roster_applied, sender=RosterImport, dispatch_uid="lms.my_training.roster_applied")
def _shared_changed(sender, **kwargs) -> None:
    my_training_changed_for_everyone()
