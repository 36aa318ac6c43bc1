"""E-mail to the author when a reviewer returns or approves their SVO worksheet.

Each review is sent once: ``review_notify`` locks the review and records ``notified_at``, so
a task delivered twice sends one e-mail. A review whose task never ran (the broker was down
when the reviewer decided) is found by ``reviews_to_notify`` and sent by the periodic sweep.

The e-mail is the template HR edits in the CMS for the decision (``core.notices``, kinds
``review_approved`` and ``review_returned``): it greets the author by name, says what was
decided and what to do next, quotes the reviewer's comment, links to the author's worksheet
under ``SITE_URL`` and ends with the signature and contact.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.links import absolute_url
from core.notices.kinds import NoticeKind
from core.notices.rendering import notice_render, recipient_language
from core.notices.sending import notice_send

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
    language = recipient_language(author)
    with translation.override(language):
        exercise = review.worksheet.exercise
        approved = review.decision == ReviewDecision.APPROVED
        link = absolute_url(reverse("courses:svo_worksheet", args=[exercise.pk]))
        comment = ""
        if review.comment:
            comment = "\n" + _("Comment from your reviewer:") + "\n" + review.comment.strip() + "\n"
        notice = notice_render(
            NoticeKind.REVIEW_APPROVED if approved else NoticeKind.REVIEW_RETURNED,
            {
                "氏名": author.display_name,
                "ワークシート": exercise.title,
                "確認者": review.reviewer.display_name,
                "コメント": comment,
                "リンク": link,
            },
            language=language,
        )
        # A failure to send rolls back ``notified_at``: the task retries, then the sweep. The
        # reviewer's comment is the author's alone: LINE WORKS or e-mail, never a unit channel.
        notice_send(recipient=author, notice=notice, link=link, unit_channel=False)
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
