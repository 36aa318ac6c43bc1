"""E-mail to the author when a reviewer returns or approves their SVO worksheet.

Each review is sent once: ``review_notify`` locks the review and records ``notified_at``, so
a task delivered twice sends one e-mail. A review whose task never ran (the broker was down
when the reviewer decided) is found by ``reviews_to_notify`` and sent by the periodic sweep.

The e-mail (``courses/email/svo_decision.txt``) greets the author by name, says what was
decided and what to do next, quotes the reviewer's comment, links to the author's worksheet
under ``SITE_URL`` and ends with the sender's signature and contact.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.links import absolute_url
from core.mail import signature_context

from ..models import ReviewDecision, SvoReview

#: A decision not sent after this long was probably lost with its task message.
NOTIFY_AFTER = dt.timedelta(minutes=2)
#: Older decisions are not sent any more: news of a week-old decision helps nobody.
NOTIFY_WITHIN = dt.timedelta(days=7)


@transaction.atomic
def review_notify(*, review_id: int) -> bool:
    """Send the decision to the author once; False when there was nothing to send (already
    sent, or the author has no e-mail address)."""
    review = (
        SvoReview.objects.select_for_update(of=("self",))
        .select_related("worksheet__user", "worksheet__exercise", "reviewer")
        .get(pk=review_id)
    )
    if review.notified_at is not None:
        return False
    review.notified_at = timezone.now()
    review.save(update_fields=["notified_at"])
    author = review.worksheet.user
    if not getattr(author, "email", ""):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        exercise = review.worksheet.exercise
        approved = review.decision == ReviewDecision.APPROVED
        if approved:
            subject = _("Your SVO worksheet was approved: %(exercise)s")
        else:
            subject = _("Your SVO worksheet was returned: %(exercise)s")
        body = render_to_string(
            "courses/email/svo_decision.txt",
            {
                "author": author,
                "approved": approved,
                "exercise": exercise.title,
                "reviewer": review.reviewer.display_name,
                "comment": review.comment,
                "url": absolute_url(reverse("courses:svo_worksheet", args=[exercise.pk])),
                **signature_context(),
            },
        )
        # A failure to send rolls back ``notified_at``: the task retries, then the sweep.
        send_mail(subject % {"exercise": exercise.title}, body, None, [author.email])
    return True


def reviews_to_notify(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of recent decisions whose author was not told yet, oldest first."""
    now = now or timezone.now()
    return list(
        SvoReview.objects.filter(
            notified_at__isnull=True,
            created_at__lt=now - NOTIFY_AFTER,
            created_at__gte=now - NOTIFY_WITHIN,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
