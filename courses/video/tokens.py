"""The signed note a video lesson page gives its player: who opened which lesson, and when.

The first watch report of a page may claim no more seconds than the wall clock allows since
the page was opened; the token carries that moment, signed, so the server keeps no state per
page view and a client cannot move it back.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from .services import WatchError

WATCH_TOKEN_SALT = "courses.video.watch"
#: A token is good for this long; a page left open longer must be reloaded.
WATCH_TOKEN_MAX_AGE = 12 * 3600


def watch_token(*, user_id: int, lesson_id: int) -> str:
    return signing.dumps(
        {"u": user_id, "l": lesson_id, "t": timezone.now().timestamp()}, salt=WATCH_TOKEN_SALT
    )


def session_started(token: str, *, user_id: int, lesson_id: int) -> dt.datetime:
    """When the page that issued ``token`` was opened; ``WatchError`` for a token that is
    forged, expired, or another person's or lesson's."""
    try:
        data = signing.loads(token, salt=WATCH_TOKEN_SALT, max_age=WATCH_TOKEN_MAX_AGE)
    except signing.BadSignature as error:
        raise WatchError(_("This page has been open too long. Reload it to go on.")) from error
    if not isinstance(data, dict) or data.get("u") != user_id or data.get("l") != lesson_id:
        raise WatchError(_("This page has been open too long. Reload it to go on."))
    return dt.datetime.fromtimestamp(float(data["t"]), tz=dt.UTC)
