"""UX review B1 on the demo city (``seed_demo``'s 800 staff, built once for the module): a
file of two people never deactivates the city by mistake. The upload form leaves the full
roster box unticked; ticked, the preview names the people it would deactivate (the review saw
794) and the apply needs their number confirmed, on the web and in ``manage.py import_roster``."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from devtools.demo import demo_city_seed
from lms.models import User
from org import access
from org.models import RoleGroup, RosterImport
from tests.helpers.once import built_once

from .roster_files import csv_bytes, roster_line

pytestmark = pytest.mark.django_db

TWO_NEW = csv_bytes(
    [
        roster_line("8100001", name="新人 一郎", dept="総務部", section="人事課", unit="人事係"),
        roster_line("8100002", name="新人 二郎", dept="総務部", section="人事課", unit="人事係"),
    ],
    encoding="cp932",
)


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, lambda: demo_city_seed(staff=800)) as seeded:
        yield seeded


@pytest.fixture
def hr(client, city):
    user = User.objects.get(employee_number="9000002")
    assert Group.objects.get(name=RoleGroup.HR).user_set.filter(pk=user.pk).exists()
    client.force_login(user)
    return user


def active() -> int:
    return User.objects.filter(is_active=True).count()


def leaving() -> int:
    """Everyone a full roster of two new people deactivates: the active staff who came from
    a roster, except the accounts above HR (the demo's administrator and CMS reviewers)."""
    return User.objects.filter(is_active=True, from_roster=True).exclude(access.above_hr()).count()


def upload(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("org:roster_import_upload"),
            {"file": SimpleUploadedFile("職員名簿.csv", TWO_NEW), **data},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return RosterImport.objects.latest("pk"), response.url


def test_the_form_leaves_the_full_roster_box_unticked(
    client, hr, django_capture_on_commit_callbacks
):
    page = client.get(reverse("org:roster_import_upload")).content.decode()
    assert 'name="full_roster"' in page
    box = page[page.index('name="full_roster"') - 200 : page.index('name="full_roster"') + 200]
    assert "checked" not in box
    before = active()
    roster_import, _url = upload(client, django_capture_on_commit_callbacks)  # as the form is
    assert not roster_import.full_roster and roster_import.deactivated_count == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("org:roster_import_apply", args=[roster_import.pk]))
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.APPLIED
    assert active() == before + 2


def test_a_full_roster_of_two_names_who_and_needs_the_count(
    client, hr, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    before = active()
    roster_import, url = upload(client, django_capture_on_commit_callbacks, full_roster="on")
    count = roster_import.deactivated_count
    assert count == leaving() > 700
    pages = (count + 49) // 50

    # The page's own 11 (session, user, header, the import) and two for the list of people,
    # however long it is.
    with django_assert_max_num_queries(13):
        page = client.get(url).content.decode()
    assert 'class="stat--warning"' in page
    assert f"ファイルに載っていない{count}人が無効になり、サインインできなくなります。" in page
    first = User.objects.filter(pk=roster_import.deactivated_ids[0]).select_related("unit").get()
    assert first.employee_number in page and first.display_name in page
    assert page.count("<tr><td>") == 50  # the first of 16 pages
    assert f"{pages}ページ中1ページ目" in page
    with django_assert_max_num_queries(13):
        last_page = client.get(url, {"page": pages}).content.decode()
    last = User.objects.get(pk=roster_import.deactivated_ids[-1])
    assert last.display_name in last_page and last_page.count("<tr><td>") == count - 50 * (
        pages - 1
    )
    assert f"{count}人を無効にする" in page and 'name="confirm_deactivate"' in page

    # Apply without ticking the confirmation: refused with the count, nobody deactivated.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("org:roster_import_apply", args=[roster_import.pk]), follow=True
        )
    assert f"{count}人を無効にする取り込みです。" in response.content.decode()
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PREVIEWED
    assert active() == before

    # A forged count is refused as well.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("org:roster_import_apply", args=[roster_import.pk]),
            {"confirm_deactivate": str(count - 1)},
        )
    assert active() == before

    # 「キャンセル」 discards it: kept in the history as 取り消し, never applicable again.
    response = client.post(
        reverse("org:roster_import_cancel", args=[roster_import.pk]), follow=True
    )
    listing = response.content.decode()
    assert "取り込みを取り消しました。" in listing and "取り消し" in listing
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.CANCELLED
    detail = client.get(url).content.decode()
    assert "この変更を反映する" not in detail
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("org:roster_import_apply", args=[roster_import.pk]),
            {"confirm_deactivate": str(count)},
        )
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.CANCELLED
    assert active() == before


def test_the_confirmed_count_applies(client, hr, django_capture_on_commit_callbacks):
    roster_import, _url = upload(client, django_capture_on_commit_callbacks, full_roster="on")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("org:roster_import_apply", args=[roster_import.pk]),
            {"confirm_deactivate": str(leaving())},
        )
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.APPLIED
    assert leaving() == 2  # the two people of the file


def test_the_command_refuses_without_the_count(city, tmp_path, capsys):
    path = tmp_path / "two.csv"
    path.write_bytes(TWO_NEW)
    before, count = active(), leaving()
    with pytest.raises(CommandError, match=f"--confirm-deactivate {count}"):
        call_command("import_roster", str(path))
    with pytest.raises(CommandError, match=f"--confirm-deactivate {count}"):
        call_command("import_roster", str(path), "--confirm-deactivate", "20")
    assert active() == before
    assert set(RosterImport.objects.values_list("status", flat=True)) == {"cancelled"}

    call_command("import_roster", str(path), "--dry-run")
    assert f"Applying needs --confirm-deactivate {count}." in capsys.readouterr().out
    call_command("import_roster", str(path), "--confirm-deactivate", str(count))
    assert "Applied." in capsys.readouterr().out
    assert active() == before - count + 2
