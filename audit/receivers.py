"""Audit events for what the organisation announces: it sits below the audit log.

Roster uploads, apply requests and cancellations come from org's own signals, sent inside
the action's transaction, so the entry is written with it or not at all; downloads of a
roster file and finished imports from signals sent as they happen. Role changes (DX PRO
and manager appointments, role groups) come from model signals, so an appointment made in
the Wagtail or Django admin is logged too, with the signed-in person as the actor. The
apps above the audit log (courses, lms) write their events themselves, in the transaction
of the action. A receiver of an after-commit signal must not break the action
it records: those failures are logged (ids only) and swallowed.
"""

from __future__ import annotations

import logging
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from org.models import DxProAssignment, ManagerAssignment, RoleGroup, RosterImport
from org.signals import (
    roster_applied,
    roster_apply_requested,
    roster_cancelled,
    roster_file_read,
    roster_uploaded,
)

from .models import AuditAction
from .services import record

User = get_user_model()

logger = logging.getLogger(__name__)


def _never_raise(receiver_function):
    @wraps(receiver_function)
    def wrapper(*args, **kwargs):
        try:
            receiver_function(*args, **kwargs)
        except Exception:
            logger.exception("Could not write the audit event of %s", receiver_function.__name__)

    return wrapper


@receiver(roster_uploaded, dispatch_uid="audit.roster_uploaded")
def on_roster_uploaded(sender, *, roster_import, by, **kwargs) -> None:
    """In the upload's transaction: no entry without the upload, no upload without one."""
    record(action=AuditAction.ROSTER_UPLOADED, actor=by, target=roster_import)


@receiver(roster_apply_requested, dispatch_uid="audit.roster_apply_requested")
def on_roster_apply_requested(sender, *, roster_import, by, **kwargs) -> None:
    record(action=AuditAction.ROSTER_APPLY_REQUESTED, actor=by, target=roster_import)


@receiver(roster_cancelled, dispatch_uid="audit.roster_cancelled")
def on_roster_cancelled(sender, *, roster_import, by, **kwargs) -> None:
    record(action=AuditAction.ROSTER_CANCELLED, actor=by, target=roster_import)


@receiver(roster_file_read, dispatch_uid="audit.roster_file_read")
def on_roster_file_read(sender, *, roster_import, by, **kwargs) -> None:
    """Who took a copy of the city's names and addresses, and when."""
    record(action=AuditAction.ROSTER_DOWNLOADED, actor=by, target=roster_import)


@receiver(roster_applied, dispatch_uid="audit.roster_applied")
@_never_raise
def on_roster_applied(sender, *, roster_import_id, **kwargs) -> None:
    roster_import = RosterImport.objects.get(pk=roster_import_id)
    record(
        action=AuditAction.ROSTER_APPLIED,
        target=roster_import,
        details={
            "created": roster_import.created_count,
            "updated": roster_import.updated_count,
            "deactivated": roster_import.deactivated_count,
            "units_created": roster_import.units_created_count,
            "units_renamed": roster_import.units_renamed_count,
            "full_roster": roster_import.full_roster,
        },
    )


def _appointment(instance, appointed: str, removed: str, created: bool | None) -> None:
    details = {"user_id": instance.user_id}
    if hasattr(instance, "fiscal_year"):
        details["fiscal_year"] = instance.fiscal_year
    record(
        action=appointed if created is not False else removed,
        target=instance,
        unit=instance.unit_id,
        details=details,
    )


@receiver(post_save, sender=DxProAssignment, dispatch_uid="audit.dx_pro_saved")
@_never_raise
def on_dx_pro_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        _appointment(instance, AuditAction.DX_PRO_APPOINTED, AuditAction.DX_PRO_REMOVED, True)


@receiver(post_delete, sender=DxProAssignment, dispatch_uid="audit.dx_pro_deleted")
@_never_raise
def on_dx_pro_deleted(sender, instance, **kwargs) -> None:
    _appointment(instance, AuditAction.DX_PRO_APPOINTED, AuditAction.DX_PRO_REMOVED, False)


@receiver(post_save, sender=ManagerAssignment, dispatch_uid="audit.manager_saved")
@_never_raise
def on_manager_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        _appointment(instance, AuditAction.MANAGER_APPOINTED, AuditAction.MANAGER_REMOVED, True)


@receiver(post_delete, sender=ManagerAssignment, dispatch_uid="audit.manager_deleted")
@_never_raise
def on_manager_deleted(sender, instance, **kwargs) -> None:
    _appointment(instance, AuditAction.MANAGER_APPOINTED, AuditAction.MANAGER_REMOVED, False)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit.groups_changed")
@_never_raise
def on_groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Someone joined or left HR, the editors or the content reviewers."""
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    code = AuditAction.GROUP_ADDED if action == "post_add" else AuditAction.GROUP_REMOVED
    if reverse:  # group.user_set.add(...): one group, several people
        if instance.name in RoleGroup.values:
            for user_id in sorted(pk_set):
                record(action=code, target=instance, details={"user_id": user_id})
        return
    for group in Group.objects.filter(pk__in=pk_set, name__in=RoleGroup.values):
        record(action=code, target=group, unit=instance.unit_id, details={"user_id": instance.pk})
