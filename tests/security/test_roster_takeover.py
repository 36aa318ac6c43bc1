"""Security review F1: HR must not take over an administrator's account by changing its
e-mail address through a roster import and then asking for a password reset."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from devtools.demo import demo_city_seed, minimum_staff
from lms.models import User
from org import access
from org.models import RoleGroup, RosterImport

pytestmark = pytest.mark.django_db

ATTACK = (
    "職員番号,氏名,フリガナ,メールアドレス,部,課,係,職名,雇用区分\r\n"
    "9000001,デモ 管理者,デモ カンリシャ,hr-inbox@city.example.jp,"
    "総務部,DX推進課,情報システム係,主任,正規\r\n"
).encode("cp932")


def test_a_partial_roster_cannot_change_the_administrators_e_mail(
    client, django_capture_on_commit_callbacks
):
    demo_city_seed(staff=minimum_staff(), seed=7)
    admin = User.objects.get(employee_number="9000001")
    hr = User.objects.get(employee_number="9000002")
    assert admin.is_superuser and access.is_above_hr(admin) and not access.is_above_hr(hr)
    client.force_login(hr)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("org:roster_import_upload"),
            {"file": SimpleUploadedFile("roster.csv", ATTACK)},  # 全件名簿 left unticked
        )
    roster_import = RosterImport.objects.get()
    assert not roster_import.full_roster
    assert roster_import.status == RosterImport.Status.INVALID
    page = client.get(response.url).content.decode()
    assert "職員番号 9000001 は人事担当を超える権限" in page
    assert "この変更を反映する" not in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("org:roster_import_apply", args=[roster_import.pk]))
    admin.refresh_from_db()
    assert admin.email == "demo-admin@city.example.jp"

    client.logout()
    client.post(reverse("lms:password_reset"), {"email": "hr-inbox@city.example.jp"})
    assert mail.outbox == []


def test_who_is_above_hr():
    hr = Group.objects.get(name=RoleGroup.HR)
    editors = Group.objects.get(name=RoleGroup.EDITORS)
    people = {
        "staff": User.objects.create_user("1", "p", email="1@x.jp"),
        "hr": User.objects.create_user("2", "p", email="2@x.jp"),
        "superuser": User.objects.create_superuser("3", "p", email="3@x.jp"),
        "admin_site": User.objects.create_user("4", "p", email="4@x.jp", is_staff=True),
        "editor": User.objects.create_user("5", "p", email="5@x.jp"),
        "hr_and_editor": User.objects.create_user("6", "p", email="6@x.jp"),
        "page_rights": User.objects.create_user("7", "p", email="7@x.jp"),
    }
    people["hr"].groups.add(hr)
    people["editor"].groups.add(editors)
    people["hr_and_editor"].groups.add(hr, editors)
    from wagtail.models import GroupPagePermission, Page

    custom = Group.objects.create(name="Page publishers")
    GroupPagePermission.objects.create(
        group=custom,
        page=Page.objects.first(),
        permission=Permission.objects.get(codename="publish_page"),
    )
    people["page_rights"].groups.add(custom)
    above = set(User.objects.filter(access.above_hr()).values_list("employee_number", flat=True))
    assert above == {"3", "4", "5", "6", "7"}
    assert [access.is_above_hr(people[k]) for k in ("staff", "hr", "editor")] == [
        False,
        False,
        True,
    ]
