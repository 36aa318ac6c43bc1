"""Roster import screens: permissions, upload -> preview -> apply, status endpoint."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from audit.models import AuditAction, AuditEvent
from lms.models import User
from org.models import RoleGroup, RosterImport
from org.roster.services import roster_import_create
from tests.factories.lms import UserFactory

from .roster_files import csv_bytes, roster_line

pytestmark = pytest.mark.django_db

UPLOAD = reverse("org:roster_import_upload")
CONTENT = csv_bytes([roster_line("0001"), roster_line("0002", position="係長")], encoding="cp932")


@pytest.fixture
def hr(client):
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=RoleGroup.HR)[0])
    client.force_login(user)
    return user


def upload(client, content=CONTENT, name="職員名簿.csv", **data):
    return client.post(
        UPLOAD, {"file": SimpleUploadedFile(name, content), "full_roster": "on", **data}
    )


def test_anonymous_is_sent_to_login(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302 and reverse("lms:login") in response.url


def test_staff_are_refused(client):
    client.force_login(UserFactory())
    assert client.get(UPLOAD).status_code == 403
    assert client.get(reverse("org:roster_import_status", args=[1])).status_code == 403


def test_upload_preview_apply(client, hr, django_capture_on_commit_callbacks):
    assert client.get(UPLOAD).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client)
    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("org:roster_import_detail", args=[roster_import.pk])
    assert roster_import.uploaded_by == hr and roster_import.file_name == "職員名簿.csv"

    page = client.get(response.url)
    assert page.status_code == 200
    assert page.context["can_apply"]
    assert reverse("org:roster_import_apply", args=[roster_import.pk]) in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("org:roster_import_apply", args=[roster_import.pk]))
    assert response.status_code == 302
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.APPLIED
    assert User.objects.filter(employee_number__in=["0001", "0002"]).count() == 2

    # Applying again is refused with a message, not an error page.
    response = client.post(reverse("org:roster_import_apply", args=[roster_import.pk]), follow=True)
    assert response.status_code == 200 and list(response.context["messages"])


def test_errors_are_listed_and_apply_is_not_offered(client, hr, django_capture_on_commit_callbacks):
    content = csv_bytes([roster_line("0001", employment="臨時"), roster_line("0001")])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content)
    with translation.override("en"):
        page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert not page.context["can_apply"]
    assert page.context["error_lines"] == 2
    assert 'role="alert"' in page.content.decode()
    roster_import = RosterImport.objects.get()
    response = client.post(reverse("org:roster_import_apply", args=[roster_import.pk]))
    assert not User.objects.filter(employee_number="0001").exists()


def test_apply_needs_post(client, hr):
    roster_import = roster_import_create(
        uploaded_by=hr, file_name="r.csv", content=CONTENT, enqueue=False
    )
    assert (
        client.get(reverse("org:roster_import_apply", args=[roster_import.pk])).status_code == 405
    )


def test_oversized_upload_is_refused_early(client, hr, settings):
    settings.ROSTER_MAX_UPLOAD_BYTES = 10
    response = upload(client)
    assert response.status_code in (400, 413)
    assert response.context["form"].errors
    assert not RosterImport.objects.exists()


def test_status_json_and_constant_query_count(client, hr, django_assert_max_num_queries):
    small = roster_import_create(uploaded_by=hr, file_name="r.csv", content=CONTENT, enqueue=False)
    url = reverse("org:roster_import_status", args=[small.pk])
    data = client.get(url).json()
    assert data["status"] == "pending" and data["progress"] == 0 and not data["finished"]
    assert set(data["counts"]) >= {"created", "updated", "unchanged", "deactivated"}

    big = roster_import_create(uploaded_by=hr, file_name="r.csv", content=CONTENT, enqueue=False)
    big.errors = [{"line": n, "column": "氏名", "message": "x"} for n in range(3000)]
    big.save()
    client.get(url)
    with django_assert_max_num_queries(10) as captured:
        client.get(reverse("org:roster_import_status", args=[big.pk]))
    with django_assert_max_num_queries(len(captured)) as again:
        client.get(url)
    assert len(again) == len(captured)


def test_detail_paginates_errors(client, hr):
    roster_import = roster_import_create(
        uploaded_by=hr, file_name="r.csv", content=CONTENT, enqueue=False
    )
    roster_import.status = RosterImport.Status.INVALID
    roster_import.errors = [{"line": n, "column": "氏名", "message": "x"} for n in range(120)]
    roster_import.save()
    page = client.get(reverse("org:roster_import_detail", args=[roster_import.pk]), {"page": 3})
    assert len(page.context["error_page"]) == 20


def test_upload_page_lists_recent_imports(client, hr):
    roster_import_create(uploaded_by=hr, file_name="april.csv", content=CONTENT, enqueue=False)
    assert "april.csv" in client.get(UPLOAD).content.decode()


def test_the_help_lists_every_column_and_links_a_sample(client, hr):
    page = client.get(UPLOAD).content.decode()
    assert "職員番号、氏名、フリガナ、メールアドレス、部、課、係、職名、雇用区分" in page
    assert reverse("org:roster_import_sample") in page


def test_the_sample_file_is_utf8_with_bom_and_previews_clean(
    client, hr, django_capture_on_commit_callbacks
):
    response = client.get(reverse("org:roster_import_sample"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content[3:].decode("utf-8").split("\r\n")
    assert lines[0] == "職員番号,氏名,フリガナ,メールアドレス,部,課,係,職名,雇用区分"
    assert len([line for line in lines[1:] if line]) == 2
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, content, name="roster-sample.csv")
    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.PREVIEWED, roster_import.errors
    assert roster_import.created_count == 2


def test_cancel_needs_post_and_lists_the_import_as_cancelled(client, hr):
    roster_import = roster_import_create(
        uploaded_by=hr, file_name="r.csv", content=CONTENT, enqueue=False
    )
    RosterImport.objects.filter(pk=roster_import.pk).update(status=RosterImport.Status.PREVIEWED)
    url = reverse("org:roster_import_cancel", args=[roster_import.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response.url == UPLOAD
    listing = client.get(UPLOAD).content.decode()
    assert "<td>取り消し</td>" in listing
    event = AuditEvent.objects.get(action=AuditAction.ROSTER_CANCELLED)
    assert (event.actor, event.target_id) == (hr, str(roster_import.pk))
    client.post(url)  # cancelling again changes nothing and records nothing
    assert AuditEvent.objects.filter(action=AuditAction.ROSTER_CANCELLED).count() == 1


def test_a_utf16_file_is_refused_with_what_to_do(client, hr, django_capture_on_commit_callbacks):
    content = CONTENT.decode("cp932").replace(",", "\t").encode("utf-16")  # 「Unicode テキスト」
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content, name="職員名簿.txt")
    page = client.get(response.url).content.decode()
    assert "このファイルはUTF-16で保存されているため読み込めません。" in page
    assert RosterImport.objects.get().status == RosterImport.Status.INVALID
