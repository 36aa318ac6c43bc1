"""The e-mail that tells a person their certificate of completion was issued.

When an enrolment in a course that gives a certificate is completed, the completion engine
queues ``certificate_notify`` (after its commit; a sweep finds completions whose task was
lost, ``completions_to_notify``); it issues the certificate (idempotent) and
e-mails the holder once, under a row lock on the certificate, so a task delivered twice
sends one e-mail and a refused send rolls back for the retry.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.dates import date_label
from core.links import absolute_url
from core.notices.kinds import NoticeKind
from core.notices.rendering import notice_render, recipient_language

from ..certificates.services import CertificateUnavailable, certificate_issue
from ..models import Certificate, Enrollment, EnrollmentStatus
from .delivery import notice_deliver

#: Completions older than this are not announced any more (the sweep's horizon; and older
#: completions predate the notice).
NOTIFY_WITHIN = dt.timedelta(days=7)


@transaction.atomic
def certificate_notify(*, enrollment_id: int) -> bool:
    """Issue the enrolment's certificate and tell its holder once; False when there was
    nothing to send (no certificate for the course, told already, no address)."""
    enrollment = Enrollment.objects.select_related("user", "course").get(pk=enrollment_id)
    try:
        issued = certificate_issue(enrollment=enrollment)
    except CertificateUnavailable:
        return False
    certificate = Certificate.objects.select_for_update().get(pk=issued.pk)
    if certificate.notified_at is not None:
        return False
    certificate.notified_at = timezone.now()
    certificate.save(update_fields=["notified_at"])
    person = enrollment.user
    if not person.email:
        return False
    language = recipient_language(person)
    link = absolute_url(reverse("lms:certificate_download", args=[enrollment.pk]))
    with translation.override(language):
        notice = notice_render(
            NoticeKind.CERTIFICATE,
            {
                "氏名": person.display_name,
                "コース": enrollment.course.title,
                "修了日": date_label(enrollment.completed_at),
                "証書番号": certificate.serial,
                "リンク": link,
            },
            language=language,
        )
        notice_deliver(recipient=person, notice=notice, link=link, unit_channel=True)
    return True


def completions_to_notify(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of recent completions in certificate courses whose holder was not told yet (their
    task was lost), oldest first (one query)."""
    now = now or timezone.now()
    return list(
        Enrollment.objects.filter(
            status=EnrollmentStatus.COMPLETED,
            course__certificate=True,
            completed_at__gte=now - NOTIFY_WITHIN,
            completed_at__lt=now - dt.timedelta(minutes=2),
        )
        .exclude(certificate__notified_at__isnull=False)
        .order_by("completed_at")
        .values_list("pk", flat=True)[:limit]
    )
