"""Security review F3: uploaded rosters (every name, e-mail address and employee number) are
kept outside MEDIA_ROOT under random names, and only HR downloads them, through a view."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.views.static import serve

from audit.models import AuditAction, AuditEvent
from org.models import RoleGroup, RosterImport
from tests.factories.lms import UserFactory
from tests.org.roster_files import csv_bytes, roster_line

pytestmark = pytest.mark.django_db

CONTENT = csv_bytes([roster_line("9100001", name="秘密 太郎", email="secret@city.example.jp")])


@pytest.fixture
def uploaded(client):
    hr = UserFactory(groups=[RoleGroup.HR])
    client.force_login(hr)
    client.post(
        reverse("org:roster_import_upload"),
        {"file": SimpleUploadedFile("roster.csv", CONTENT)},
    )
    client.logout()
    return RosterImport.objects.get(), hr


def files_under(root) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()]


def test_the_file_is_private_and_its_name_random(uploaded):
    roster_import, _hr = uploaded
    name = roster_import.file.name
    assert name.startswith("roster/") and not name.endswith("/roster.csv")
    assert files_under(settings.MEDIA_ROOT) == []
    stored = Path(settings.PRIVATE_STORAGE_ROOT) / name
    assert stored.read_bytes() == CONTENT
    assert not Path(settings.PRIVATE_STORAGE_ROOT).is_relative_to(settings.MEDIA_ROOT)
    with pytest.raises(ValueError):
        roster_import.file.url  # noqa: B018 - no public address at all


def test_the_old_media_address_finds_nothing(client, uploaded):
    roster_import, _hr = uploaded
    name = roster_import.file.name
    assert client.get(f"/media/{name}").status_code == 404
    # What the demo's DEBUG media route (django.views.static.serve) would answer.
    request = RequestFactory().get(f"/media/{name}")
    with pytest.raises(Http404):
        serve(request, name, document_root=settings.MEDIA_ROOT)
    with pytest.raises(Http404):
        serve(request, "roster/" + name.split("/", 1)[1], document_root=settings.MEDIA_ROOT)


def test_only_hr_downloads_the_file(client, uploaded):
    roster_import, hr = uploaded
    url = reverse("org:roster_import_file", args=[roster_import.pk])
    assert client.get(url).status_code == 302  # anonymous: to sign in
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(groups=[RoleGroup.EDITORS]))
    assert client.get(url).status_code == 403
    client.force_login(hr)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    # Who took a copy of the city's names is on record; the refused tries took nothing.
    [event] = AuditEvent.objects.filter(action=AuditAction.ROSTER_DOWNLOADED)
    assert (event.actor, event.target_id) == (hr, str(roster_import.pk))
    page = client.get(reverse("org:roster_import_detail", args=[roster_import.pk]))
    assert url in page.content.decode()


def test_public_media_stays_public():
    name = default_storage.save("images/guidebook-figure.png", SimpleUploadedFile("f.png", b"x"))
    assert default_storage.url(name) == f"/media/{name}"
    assert (Path(settings.MEDIA_ROOT) / name).is_file()


def test_the_django_admin_links_the_download_view(admin_client, uploaded):
    roster_import, _hr = uploaded
    Group.objects.get_or_create(name=RoleGroup.HR)
    page = admin_client.get(reverse("admin:org_rosterimport_change", args=[roster_import.pk]))
    assert page.status_code == 200
    assert reverse("org:roster_import_file", args=[roster_import.pk]) in page.content.decode()
