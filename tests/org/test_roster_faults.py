"""A roster import whose task lost the database for good is left where HR can act: an
apply goes back to "ready to apply" with the reason (nothing was changed), a validation
is marked failed."""

from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError
from django.urls import reverse
from django.utils import translation

from org.models import RoleGroup, RosterImport
from org.roster import processing
from org.tasks import roster_import_apply_task, roster_import_validate_task
from tests.factories.lms import UserFactory

pytestmark = pytest.mark.django_db


def _import(status: str) -> RosterImport:
    return RosterImport.objects.create(
        file_name="roster.csv", uploaded_by=UserFactory(), status=status, file="roster/x.csv"
    )


def test_an_apply_that_lost_the_database_on_its_last_retry_can_be_applied_again(client):
    roster_import = _import(RosterImport.Status.APPLYING)
    lost = OperationalError("terminating connection due to administrator command")
    # The reason is stored in the worker's language (a known limit); the page is read in English.
    with (
        translation.override("en"),
        mock.patch.object(processing, "roster_import_apply", side_effect=lost),
    ):
        last = roster_import_apply_task.apply(
            args=[roster_import.pk], retries=roster_import_apply_task.max_retries, throw=False
        )
    assert last.failed()
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PREVIEWED
    assert "OperationalError" in roster_import.failure_reason
    assert processing.check_applicable(roster_import) is None  # HR may apply it again

    hr = roster_import.uploaded_by
    hr.groups.add(Group.objects.get_or_create(name=RoleGroup.HR)[0])
    client.force_login(hr)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("org:roster_import_detail", args=[roster_import.pk]))
    assert "The database could not be reached after several tries" in page.text


def test_a_validation_that_lost_the_database_on_its_last_retry_is_marked_failed():
    roster_import = _import(RosterImport.Status.VALIDATING)
    lost = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(processing, "roster_import_validate", side_effect=lost):
        roster_import_validate_task.apply(
            args=[roster_import.pk], retries=roster_import_validate_task.max_retries, throw=False
        )
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.FAILED
    assert "OperationalError" in roster_import.failure_reason


def test_giving_up_leaves_an_applied_import_alone():
    roster_import = _import(RosterImport.Status.APPLIED)
    processing.roster_import_give_up(roster_import_id=roster_import.pk, exc=OperationalError())
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.APPLIED
    assert roster_import.failure_reason == ""


@pytest.mark.parametrize(
    ("task", "status"),
    [
        (roster_import_validate_task, RosterImport.Status.VALIDATING),
        (roster_import_apply_task, RosterImport.Status.APPLYING),
    ],
)
def test_a_roster_task_that_keeps_killing_its_worker_marks_the_import_failed(client, task, status):
    """Review F2: each delivery of the check was killed (out of memory) before it could
    record anything; the message came back again and again and the import stayed
    "checking" at 0 %. Past the poison limit the task is not run again, the import is
    failed with the reason (for the administrator) and HR's page says it failed."""
    from core import queue
    from core.models import QueuedTask

    roster_import = _import(status)
    row = QueuedTask.objects.create(task=task.name, key="k", args=[roster_import.pk])
    limit = task.max_retries + queue.POISON_MARGIN
    for _ in range(limit):  # each delivery's worker died before finishing
        assert queue.queued_task_started(row.pk, poison_after=limit)
    with (
        translation.override("en"),
        mock.patch.object(processing, "roster_import_validate") as validate,
        mock.patch.object(processing, "roster_import_apply") as apply,
    ):
        task.apply(args=[roster_import.pk], kwargs={"queued_task_id": row.pk})
    assert not validate.called and not apply.called  # not run again
    row.refresh_from_db()
    assert row.failed_at is not None
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.FAILED
    assert "not run again" in roster_import.failure_reason
    assert "stopped the import process several times" in roster_import.failure_reason

    hr = roster_import.uploaded_by
    hr.groups.add(Group.objects.get_or_create(name=RoleGroup.HR)[0])
    client.force_login(hr)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("org:roster_import_detail", args=[roster_import.pk]))
    assert "The import failed and changed nothing." in page.text  # not "Checking", 0 %
