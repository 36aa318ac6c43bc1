"""E-mail to the author when a reviewer returns or approves their SVO worksheet."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from .models import ReviewDecision, SvoReview


def review_notify(*, review_id: int) -> bool:
    """Send the decision to the author; False when the author has no e-mail address."""
    review = SvoReview.objects.select_related("worksheet__user", "worksheet__exercise").get(
        pk=review_id
    )
    author = review.worksheet.user
    if not getattr(author, "email", ""):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        exercise = review.worksheet.exercise.title
        if review.decision == ReviewDecision.APPROVED:
            subject = _("Your SVO worksheet was approved: %(exercise)s") % {"exercise": exercise}
            intro = _("Your worksheet was approved.")
        else:
            subject = _("Your SVO worksheet was returned: %(exercise)s") % {"exercise": exercise}
            intro = _(
                "Your worksheet was returned with comments. Open it to see the comments next "
                "to your statements, revise and submit again."
            )
        lines = [intro]
        if review.comment:
            lines += ["", _("Reviewer's comment:"), review.comment]
        url = review.worksheet.exercise.full_url
        if url:
            lines += ["", url]
        send_mail(subject, "\n".join(lines), None, [author.email])
    return True
