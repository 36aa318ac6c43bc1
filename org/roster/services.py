"""Writes of the roster import: the entry points for views, Celery tasks and the command.

Uploading stores the file and the import record first, then enqueues the validation once
the transaction commits, so a worker never looks for a record that is not there yet.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..models import RosterImport
from ..tasks import roster_import_apply_task, roster_import_validate_task
from .processing import (
    RosterImportError,
    check_applicable,
    roster_import_apply,
    roster_import_validate,
)

User = get_user_model()

__all__ = [
    "RosterImportError",
    "roster_import_apply",
    "roster_import_create",
    "roster_import_schedule_apply",
    "roster_import_validate",
]


def _storage_name(file_name: str) -> str:
    extension = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    return f"roster.{extension}" if extension.isalnum() and len(extension) <= 5 else "roster.bin"


@transaction.atomic
def roster_import_create(
    *,
    uploaded_by: User | None,
    file_name: str,
    content: bytes,
    full_roster: bool = True,
    enqueue: bool = True,
) -> RosterImport:
    """Record an upload (who, when, which file) and queue its validation.

    ``enqueue=False`` leaves the validation to the caller (the command runs it in-process).
    """
    roster_import = RosterImport(
        file_name=file_name[:255], uploaded_by=uploaded_by, full_roster=full_roster
    )
    roster_import.file.save(_storage_name(file_name), ContentFile(content), save=False)
    if enqueue:
        roster_import.queued_at = timezone.now()
    roster_import.save()
    if enqueue:
        pk = roster_import.pk
        # robust: a broker outage is logged, and the sweep sends it once the broker is back.
        transaction.on_commit(lambda: roster_import_validate_task.delay(pk), robust=True)
    return roster_import


@transaction.atomic
def roster_import_schedule_apply(*, roster_import_id: int) -> RosterImport:
    """HR pressed "apply": check the preview is clean, mark the import and queue the apply.

    Raises ``RosterImportError`` when the import has errors, is not checked yet or was applied.
    """
    roster_import = RosterImport.objects.select_for_update().get(pk=roster_import_id)
    check_applicable(roster_import)
    roster_import.status = RosterImport.Status.APPLYING
    roster_import.progress = 0
    roster_import.queued_at = timezone.now()
    roster_import.save(update_fields=["status", "progress", "queued_at"])
    transaction.on_commit(lambda: roster_import_apply_task.delay(roster_import_id), robust=True)
    return roster_import
