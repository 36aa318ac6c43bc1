"""A roster import goes through Redis to a real Celery worker and lands in PostgreSQL.

This is the path production takes: the web process saves the file and enqueues validation on
commit; a worker process on another machine reads the file, writes the preview; HR applies it;
the worker creates the people. Nothing here runs eagerly.
"""

import pytest
from django.contrib.auth.models import Group

from lms.models import User
from org.models import RoleGroup, RosterImport
from org.people import EmploymentType, Position

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROSTER_CSV = (
    "職員番号,氏名,フリガナ,メールアドレス,部,課,係,職名,雇用区分\n"
    "IT0001,青木 一郎,アオキ イチロウ,aoki@city.example.jp,総務部,人事課,人事係,係長,正規\n"
    "IT0002,井上 花子,イノウエ ハナコ,inoue@city.example.jp,総務部,人事課,人事係,主事,正規\n"
    "IT0003,上田 次郎,ウエダ ジロウ,ueda@city.example.jp,総務部,情報政策課,,主事,会計年度任用\n"
)


def test_roster_import_validates_and_applies_on_a_worker(wait_until):
    from org.roster.services import roster_import_create
    from org.tasks import roster_import_apply_task

    uploader = User.objects.create_user("IT9999", display_name="人事 担当", is_staff=True)
    uploader.groups.add(Group.objects.get_or_create(name=RoleGroup.HR)[0])  # only HR uploads

    roster_import = roster_import_create(
        uploaded_by=uploader,
        file_name="roster.csv",
        content=ROSTER_CSV.encode("utf-8"),
        full_roster=False,  # adds people and deactivates no one (the uploader is not listed)
    )

    def previewed():
        """the worker previews the import"""
        roster_import.refresh_from_db()
        return roster_import.status in {
            RosterImport.Status.PREVIEWED,
            RosterImport.Status.INVALID,
            RosterImport.Status.FAILED,
        }

    wait_until(previewed)
    assert roster_import.status == RosterImport.Status.PREVIEWED, (
        roster_import.errors,
        roster_import.failure_reason,
    )
    assert roster_import.created_count == 3
    assert not User.objects.filter(employee_number__startswith="IT000").exists()

    roster_import_apply_task.delay(roster_import.pk)

    def applied():
        """the worker applies the import"""
        roster_import.refresh_from_db()
        return roster_import.status in {RosterImport.Status.APPLIED, RosterImport.Status.FAILED}

    wait_until(applied)
    assert roster_import.status == RosterImport.Status.APPLIED, roster_import.failure_reason

    people = {
        user.employee_number: user
        for user in User.objects.filter(employee_number__startswith="IT000")
    }
    assert sorted(people) == ["IT0001", "IT0002", "IT0003"]
    assert people["IT0001"].display_name == "青木 一郎"
    assert people["IT0001"].position == Position.UNIT_CHIEF
    assert people["IT0003"].employment_type == EmploymentType.FIXED_TERM
    assert all(person.is_active for person in people.values())
