"""The e-mail that tells people a course was assigned to them (研修のご案内).

The fan-out enrols people set-based and leaves ``Enrollment.notified_at`` empty;
``assignment_notices_send`` then e-mails each of them once, in batches: a batch is locked
(``SKIP LOCKED``, so two workers share the work instead of sending twice), sent over one
mail connection and marked told in one UPDATE, all in one transaction, so a mail server that
refuses rolls the batch back for the next run. People without an address, who left, or
whose enrolment is no longer open are marked without an e-mail: there is nothing to tell.
Each person's notice is in their language; with LINE WORKS configured it reaches them there
(by e-mail when that fails, ``delivery``).
"""

from __future__ import annotations

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation

from core.dates import date_label
from core.links import page_absolute_url
from core.notices.kinds import NoticeKind
from core.notices.lineworks import lineworks_configured
from core.notices.rendering import Composers, recipient_language

from ..models import OPEN_STATUSES, AssignmentStatus, Enrollment, in_current_cycle
from .delivery import Routes, deliver

#: Enrolments per transaction (and per mail connection).
NOTICE_BATCH = 200


def assignment_notices_send(*, assignment_id: int, batch: int = NOTICE_BATCH) -> int:
    """Tell everyone the assignment enrolled and has not told yet; returns how many notices
    went out (e-mail or LINE WORKS). Idempotent; a cancelled assignment tells nobody, nor
    one whose cycle the next cycle of the year has superseded."""
    sent = 0
    composers = Composers(NoticeKind.ASSIGNMENT)
    # LINE WORKS reaches each person; a unit's Teams channel is left out (one post per
    # person of the unit). Without LINE WORKS, one mail connection per batch.
    routes = Routes(lineworks=lineworks_configured())
    while True:
        with transaction.atomic():
            rows = list(
                Enrollment.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(assignment_id=assignment_id, notified_at__isnull=True)
                .select_related("user", "course", "assignment")
                .annotate(current=in_current_cycle())
                .order_by("pk")[:batch]
            )
            if not rows:
                return sent
            messages = []
            for enrollment in rows:
                person = enrollment.user
                if (
                    not person.email
                    or not person.is_active
                    or enrollment.status not in OPEN_STATUSES
                    or enrollment.assignment.status != AssignmentStatus.ACTIVE
                    or not enrollment.current  # the next cycle of the year has opened
                ):
                    continue
                language = recipient_language(person)
                link = page_absolute_url(enrollment.course)
                with translation.override(language):
                    notice = composers(language).render(
                        {
                            "氏名": person.display_name,
                            "コース": enrollment.course.title,
                            "期限": date_label(enrollment.due_on) if enrollment.due_on else "",
                            "リンク": link,
                        }
                    )
                if routes.lineworks:  # to the person; e-mail when it fails
                    deliver(recipient=person, notice=notice, link=link, routes=routes)
                    sent += 1
                else:
                    messages.append(EmailMessage(notice.subject, notice.body, None, [person.email]))
            if messages:
                get_connection(fail_silently=False).send_messages(messages)
                sent += len(messages)
            Enrollment.objects.filter(pk__in=[e.pk for e in rows]).update(
                notified_at=timezone.now()
            )


def assignments_with_notices_pending() -> list[int]:
    """Ids of the assignments some of whose people were not told yet (one query, on the
    partial index ``enrollment_to_notify``)."""
    return sorted(
        set(
            Enrollment.objects.filter(notified_at__isnull=True, assignment__isnull=False)
            .values_list("assignment_id", flat=True)
            .order_by()
            .distinct()
        )
    )
