"""Certificates: issued once on request, a PDF, verifiable by serial without revealing much."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lms.certificates.services import CertificateUnavailable, certificate_issue, certificate_verify
from lms.enrolment.services import assignment_create, assignment_fan_out, enrollment_set_status
from lms.models import Certificate, Enrollment, EnrollmentStatus
from tests.helpers.fonts import pdf_text, print_without_system_fonts
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def done():
    city = make_city()
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    learner = city["people"]["jinji_kakari"][0]
    enrollment = Enrollment.objects.get(user=learner)
    enrollment_set_status(enrollment=enrollment, status=EnrollmentStatus.COMPLETED,
                          refresh_stats=False)  # fmt: skip
    return {**city, "learner": learner, "enrollment": enrollment}


def test_issued_once_and_only_for_a_completion(done):
    first = certificate_issue(enrollment=done["enrollment"])
    assert certificate_issue(enrollment=done["enrollment"]) == first
    assert first.serial.startswith(f"DX{dates()['fiscal_year']}-")
    other = Enrollment.objects.exclude(pk=done["enrollment"].pk).first()
    with pytest.raises(CertificateUnavailable):
        certificate_issue(enrollment=other)


def test_verification_shows_little_and_refuses_forgeries(done):
    certificate = certificate_issue(enrollment=done["enrollment"])
    result = certificate_verify(serial=certificate.serial.lower())
    assert result["course"] == done["course"].title
    assert done["learner"].display_name not in result["holder"]
    assert certificate_verify(serial="DX2026-AAAAAAAAAA") is None


def test_learner_downloads_the_pdf_and_the_public_page_checks_it(client, done):
    url = reverse("lms:certificate_download", args=[done["enrollment"].pk])
    client.force_login(done["people"]["madoguchi"][0])
    assert client.get(url).status_code == 404  # not someone else's
    client.force_login(done["learner"])
    assert (
        reverse("lms:certificate_download", args=[done["enrollment"].pk])
        in client.get(reverse("lms:my_training")).text
    )
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    serial = Certificate.objects.get().serial
    assert serial in text
    assert done["course"].title in text  # Japanese renders
    client.logout()
    page = client.get(reverse("lms:certificate_verify") + f"?serial={serial}")
    assert page.status_code == 200 and page.context["result"]["serial"] == serial
    assert client.get(reverse("lms:certificate_verify") + "?serial=NOPE").status_code == 404


def test_certificate_prints_japanese_on_a_machine_without_japanese_fonts(
    client, done, monkeypatch, tmp_path
):
    """The font comes with the product: printed where fontconfig knows no font at all, the
    holder's name and the course title are Japanese text, not boxes (.notdef glyphs)."""
    print_without_system_fonts(monkeypatch, tmp_path)
    client.force_login(done["learner"])
    response = client.get(reverse("lms:certificate_download", args=[done["enrollment"].pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert done["learner"].display_name.replace(" ", "") in text
    assert done["course"].title.replace(" ", "") in text
    assert "修了証" in text


def test_certificate_names_its_issuer_and_a_formal_date(client, done, settings):
    """A formal document: dated in the era (和暦), signed by the issuer of the setting, and
    the holder's name with 殿."""
    settings.CERTIFICATE_ISSUER = "みどり市長 緑川 一郎"
    settings.SITE_URL = "https://dx.city.example.jp"
    Enrollment.objects.filter(pk=done["enrollment"].pk).update(
        completed_at=dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)
    )
    client.force_login(done["learner"])
    response = client.get(reverse("lms:certificate_download", args=[done["enrollment"].pk]))
    text = pdf_text(response.content)
    assert "令和8年5月1日" in text
    assert "2026-05-01" not in text
    assert "みどり市長緑川一郎" in text
    assert done["learner"].display_name.replace(" ", "") + "殿" in text
    assert "全課程を修了したことをここに証します" in text
    # the check address is built from SITE_URL, not from the request's host (testserver)
    assert "https://dx.city.example.jp/certificates/verify/?serial=" in text
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1


def test_certificate_links_say_the_pdf_is_being_prepared(client, done):
    client.force_login(done["learner"])
    url = reverse("lms:certificate_download", args=[done["enrollment"].pk])
    for page in (client.get(done["course"].url).text, client.get(reverse("lms:my_training")).text):
        assert f'href="{url}" data-pdf-link data-pdf-preparing="PDFを作成しています…"' in page
        assert 'role="status" aria-live="polite"' in page


def test_the_course_page_says_completed_with_the_certificate_without_the_apps_above(
    client, done, monkeypatch
):
    """lms draws the notice itself: without surveys (no extras) it is still there."""
    from wagtail import hooks

    from lms.my_training.panels import COURSE_COMPLETED_HOOK

    monkeypatch.setitem(hooks._hooks, COURSE_COMPLETED_HOOK, [])
    client.force_login(done["learner"])
    client.cookies["django_language"] = "en"
    page = client.get(done["course"].url).text
    assert "You have completed this course" in page
    assert reverse("lms:certificate_download", args=[done["enrollment"].pk]) in page
    client.force_login(done["people"]["madoguchi"][0])  # not completed: nothing
    assert "You have completed this course" not in client.get(done["course"].url).text


def test_a_certificate_that_expires_says_until_when(client, done):
    """The course says 12 months when the person completes: the PDF, My training and the
    public check page show the last day, fixed then; changing the course's months later
    leaves issued certificates as they were. A completion without a period shows none."""
    course, enrollment = done["course"], done["enrollment"]
    client.force_login(done["learner"])
    url = reverse("lms:certificate_download", args=[enrollment.pk])
    assert "有効期限" not in pdf_text(client.get(url).content)

    course.certificate_valid_months = 12
    course.save_revision().publish()  # as an editor does: My training hears of it
    enrollment_set_status(enrollment=enrollment, status=EnrollmentStatus.NOT_STARTED,
                          refresh_stats=False)  # fmt: skip
    enrollment.refresh_from_db()
    enrollment_set_status(
        enrollment=enrollment,
        status=EnrollmentStatus.COMPLETED,
        at=dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC),
        refresh_stats=False,
    )
    assert Enrollment.objects.get(pk=enrollment.pk).certificate_valid_until == dt.date(2027, 5, 1)
    text = pdf_text(client.get(url).content)
    assert "有効期限令和9年5月1日" in text.replace(" ", "")
    assert "2027年5月1日" in client.get(reverse("lms:my_training")).text

    course.certificate_valid_months = 36
    course.save_revision().publish()
    assert "2027年5月1日" in client.get(reverse("lms:my_training")).text
    serial = Certificate.objects.get().serial
    client.logout()
    page = client.get(reverse("lms:certificate_verify") + f"?serial={serial}")
    assert page.context["result"]["valid_until"] == dt.date(2027, 5, 1)
    assert "2027年5月1日" in page.text


@pytest.mark.parametrize(
    ("today", "mark"),
    [
        (dt.date(2027, 3, 1), None),
        (dt.date(2027, 4, 2), "まもなく期限切れ"),
        (dt.date(2027, 5, 1), "まもなく期限切れ"),
        (dt.date(2027, 5, 2), "期限切れ"),
    ],
)
def test_my_training_marks_a_certificate_that_expires(client, done, monkeypatch, today, mark):
    """Within 30 days of its last day a certificate is about to expire, after it expired;
    the mark follows the day (the page is kept per day)."""
    Enrollment.objects.filter(pk=done["enrollment"].pk).update(
        certificate_valid_until=dt.date(2027, 5, 1)
    )
    _on(monkeypatch, today)
    client.force_login(done["learner"])
    text = client.get(reverse("lms:my_training")).text
    assert "2027年5月1日" in text
    marks = {m for m in ("まもなく期限切れ", "期限切れ") if f">{m}<" in text}
    assert marks == ({mark} if mark else set())


def test_a_renewed_completion_is_marked_renewed_not_expired(client, done, monkeypatch):
    """Last year's completion expired, this year's holds: only the newer one counts."""
    old = done["enrollment"]
    Enrollment.objects.filter(pk=old.pk).update(
        certificate_valid_until=dt.date(2026, 5, 1),
        completed_at=dt.datetime(2025, 5, 1, 10, tzinfo=dt.UTC),
        fiscal_year=2025,
    )
    Enrollment.objects.create(
        user=done["learner"], course=done["course"], fiscal_year=2026,
        status=EnrollmentStatus.COMPLETED, progress=100,
        completed_at=dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC),
        certificate_valid_until=dt.date(2027, 5, 1),
    )  # fmt: skip
    _on(monkeypatch, dt.date(2026, 9, 1))
    client.force_login(done["learner"])
    text = client.get(reverse("lms:my_training")).text
    assert "2027年5月1日" in text
    assert ">更新済み<" in text and ">期限切れ<" not in text


def _on(monkeypatch, day: dt.date) -> None:
    """Make ``day`` today (noon in Tokyo) for what the page reads of the clock."""
    noon = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    monkeypatch.setattr(timezone, "now", lambda: noon)
