"""Celery tasks of the lms app: thin wrappers that take ids and call a service.

The services are idempotent by status (a validation runs once, an apply refuses an applied
import), so a task delivered twice after a worker restart does no harm.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .roster import processing

_TRANSIENT = (OperationalError, InterfaceError)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=_TRANSIENT,
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=600,
    time_limit=660,
)
def roster_import_validate_task(self, roster_import_id: int) -> str:
    """Check an uploaded roster and record the preview counts and errors."""
    return processing.roster_import_validate(roster_import_id=roster_import_id).status


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=_TRANSIENT,
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=900,
    time_limit=960,
)
def roster_import_apply_task(self, roster_import_id: int) -> str:
    """Apply a previewed roster in one transaction and record the counts."""
    return processing.roster_import_apply(roster_import_id=roster_import_id).status
