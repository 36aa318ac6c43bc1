"""Certificates: the learner's PDF, and the public page that checks a serial."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from core.links import absolute_url

from ..models import Enrollment
from .services import (
    CertificateUnavailable,
    certificate_issue,
    certificate_pdf,
    certificate_verify,
)


@login_required
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    """My certificate for one of my completed enrollments, as a PDF."""
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("course", "user"), pk=pk, user_id=request.user.pk
    )
    try:
        certificate = certificate_issue(enrollment=enrollment)
    except CertificateUnavailable as exc:
        raise Http404 from exc
    verify_url = absolute_url(reverse("lms:certificate_verify") + f"?serial={certificate.serial}")
    response = HttpResponse(
        certificate_pdf(certificate=certificate, verify_url=verify_url),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="{certificate.serial}.pdf"'
    return response


def certificate_verify_view(request: HttpRequest) -> HttpResponse:
    """Public: is this serial genuine? Shows course, year, date and the holder's initial."""
    serial = request.GET.get("serial", "")
    result = certificate_verify(serial=serial) if serial else None
    return render(
        request,
        "lms/certificate_verify.html",
        {"serial": serial[:32], "result": result, "asked": bool(serial)},
        status=404 if serial and result is None else 200,
    )
