"""Writes of the roster import: the entry points for views, Celery tasks and the command.

Uploading stores the file and the import record first, with the validation it needs
(``core.queue``): the task is sent once the transaction commits, so a worker never looks for
a record that is not there yet, and a broker outage delays it instead of losing it.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.queue import enqueue_on_commit

from .. import access
from ..models import RosterImport
from ..signals import roster_apply_requested, roster_cancelled, roster_file_read, roster_uploaded
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
    "roster_import_cancel",
    "roster_import_create",
    "roster_import_file_open",
    "roster_import_schedule_apply",
    "roster_import_validate",
]


def _storage_name(file_name: str) -> str:
    """A random name that keeps the extension: nobody can guess where a roster is kept."""
    extension = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if not (extension.isalnum() and len(extension) <= 5):
        extension = "bin"
    return f"{secrets.token_urlsafe(18)}.{extension}"


@transaction.atomic
def roster_import_create(
    *,
    uploaded_by: User | None,
    file_name: str,
    content: bytes,
    full_roster: bool = False,
    enqueue: bool = True,
) -> RosterImport:
    """Record an upload (who, when, which file) and queue its validation.

    Only HR uploads (``uploaded_by=None`` is the command, run by an operator).
    ``enqueue=False`` leaves the validation to the caller (the command runs it in-process).
    """
    if uploaded_by is not None:
        access.require(access.is_hr(uploaded_by))
    roster_import = RosterImport(
        file_name=file_name[:255], uploaded_by=uploaded_by, full_roster=full_roster
    )
    roster_import.file.save(_storage_name(file_name), ContentFile(content), save=False)
    roster_import.save()
    roster_uploaded.send(sender=RosterImport, roster_import=roster_import, by=uploaded_by)
    if enqueue:
        enqueue_on_commit(roster_import_validate_task, roster_import.pk, key=str(roster_import.pk))
    return roster_import


@transaction.atomic
def roster_import_schedule_apply(
    *, roster_import_id: int, by: User | None = None, confirm_deactivate: int | None = None
) -> RosterImport:
    """HR pressed "apply": check the preview is clean, mark the import and queue the apply.

    An import that deactivates many people (``deactivation_needs_confirmation``) is applied
    only with ``confirm_deactivate`` equal to their number, as HR ticked it on the preview.
    Raises ``RosterImportError`` when the import has errors, is not checked yet, was applied
    or cancelled, or lacks that confirmation; only HR applies (``by=None`` is the command).
    """
    if by is not None:
        access.require(access.is_hr(by))
    roster_import = RosterImport.objects.select_for_update().get(pk=roster_import_id)
    check_applicable(roster_import, confirm_deactivate=confirm_deactivate)
    roster_import.status = RosterImport.Status.APPLYING
    roster_import.progress = 0
    roster_import.confirmed_deactivations = confirm_deactivate
    roster_import.save(update_fields=["status", "progress", "confirmed_deactivations"])
    roster_apply_requested.send(sender=RosterImport, roster_import=roster_import, by=by)
    enqueue_on_commit(roster_import_apply_task, roster_import_id, key=str(roster_import_id))
    return roster_import


#: What can still be cancelled: checked imports that were not applied.
CANCELLABLE = {
    RosterImport.Status.PREVIEWED,
    RosterImport.Status.INVALID,
    RosterImport.Status.FAILED,
}


@transaction.atomic
def roster_import_cancel(*, roster_import_id: int, by: User | None = None) -> RosterImport:
    """Discard an import that was not applied: it stays in the history as cancelled and can
    never be applied. Only HR cancels (``by=None`` is the command); raises
    ``RosterImportError`` when the import is being applied or was applied."""
    if by is not None:
        access.require(access.is_hr(by))
    roster_import = RosterImport.objects.select_for_update().get(pk=roster_import_id)
    if roster_import.status == RosterImport.Status.CANCELLED:
        return roster_import
    if roster_import.status not in CANCELLABLE:
        raise RosterImportError(
            _("This import is being applied or was applied; it can no longer be cancelled.")
        )
    roster_import.status = RosterImport.Status.CANCELLED
    roster_import.save(update_fields=["status"])
    roster_cancelled.send(sender=RosterImport, roster_import=roster_import, by=by)
    return roster_import


def roster_import_file_open(*, roster_import_id: int, by: User | None) -> tuple[File, str]:
    """The uploaded file as it was received, open for reading, and its original name.

    Only those ``access.can_read_roster_files`` allows (HR); every opening is announced
    (``roster_file_read``: the audit log records who took the city's names). Raises
    ``RosterImport.DoesNotExist`` or ``FileNotFoundError`` when there is nothing to read.
    """
    if by is not None:
        access.require(access.can_read_roster_files(by))
    roster_import = RosterImport.objects.only("pk", "file", "file_name").get(pk=roster_import_id)
    if not roster_import.file:
        raise FileNotFoundError(roster_import_id)
    handle = roster_import.file.open("rb")
    roster_file_read.send(sender=RosterImport, roster_import=roster_import, by=by)
    return handle, roster_import.file_name
