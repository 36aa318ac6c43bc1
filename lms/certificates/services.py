"""Certificates of completion (修了証): issue once, render to PDF, verify by serial."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from content.pdf import html_to_pdf
from core.dates import formal_date_label
from core.fiscal import reiwa_label

from ..models import Certificate, Enrollment, EnrollmentStatus

SERIAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def _new_serial(fiscal_year: int) -> str:
    return f"DX{fiscal_year}-" + "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(10))


class CertificateUnavailable(Exception):
    """The enrollment is not completed, or its course gives no certificate."""


@transaction.atomic
def certificate_issue(*, enrollment: Enrollment) -> Certificate:
    """The enrollment's certificate, issued on first request (idempotent)."""
    if enrollment.status != EnrollmentStatus.COMPLETED or not enrollment.course.certificate:
        raise CertificateUnavailable
    existing = Certificate.objects.filter(enrollment=enrollment).first()
    if existing:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    enrollment=enrollment, serial=_new_serial(enrollment.fiscal_year)
                )
        except IntegrityError:
            existing = Certificate.objects.filter(enrollment=enrollment).first()
            if existing:
                return existing
    raise RuntimeError("Could not draw a free certificate serial.")


def certificate_pdf(*, certificate: Certificate, verify_url: str) -> bytes:
    """The certificate as a one-page PDF with Japanese fonts."""
    enrollment = certificate.enrollment
    html = render_to_string(
        "lms/certificate_pdf.html",
        {
            "certificate": certificate,
            "enrollment": enrollment,
            "person": enrollment.user,
            "course": enrollment.course,
            "fiscal_year_label": reiwa_label(enrollment.fiscal_year),
            "verify_url": verify_url,
            "completed_on": formal_date_label(enrollment.completed_at),
            "valid_until": formal_date_label(enrollment.certificate_valid_until),
            "issuer": settings.CERTIFICATE_ISSUER,
        },
    )
    return html_to_pdf(html)


def certificate_verify(*, serial: str) -> dict | None:
    """What the public check page may show for a serial: course, year, date, initials only."""
    certificate = (
        Certificate.objects.select_related("enrollment__course", "enrollment__user")
        .filter(serial=(serial or "").strip().upper()[:32])
        .first()
    )
    if certificate is None:
        return None
    enrollment = certificate.enrollment
    name = enrollment.user.display_name or ""
    return {
        "serial": certificate.serial,
        "course": enrollment.course.title,
        "fiscal_year_label": reiwa_label(enrollment.fiscal_year),
        "completed_on": enrollment.completed_at,
        "valid_until": enrollment.certificate_valid_until,
        "holder": (name[:1] + "＊" * max(len(name.replace(" ", "")) - 1, 1)) if name else "",
    }
