"""Celery tasks of the organisation: the roster import's check and apply (ids in, thin).

The services are idempotent by status (a validation runs once, an apply refuses an applied
import), so a task delivered twice after a worker restart does no harm.
"""

from __future__ import annotations

from core.tasks import TRANSIENT, task

from .roster import processing


def _given_up(task, roster_import_id: int, *, reason: str) -> None:
    """Poison (every delivery killed its worker): the import is marked failed with why."""
    processing.roster_import_poisoned(roster_import_id=roster_import_id, reason=reason)


@task(name="org.roster_import_validate", soft_time_limit=600, given_up=_given_up)
def roster_import_validate_task(self, roster_import_id: int) -> str:
    """Check an uploaded roster and record the preview counts and errors."""
    try:
        return processing.roster_import_validate(roster_import_id=roster_import_id).status
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            processing.roster_import_give_up(roster_import_id=roster_import_id, exc=exc)
        raise


@task(name="org.roster_import_apply", soft_time_limit=900, given_up=_given_up)
def roster_import_apply_task(self, roster_import_id: int) -> str:
    """Apply a previewed roster in one transaction and record the counts.

    A lost database connection is retried with backoff; after the last retry the import
    goes back to "ready to apply" with the reason, so HR can apply it again.
    """
    try:
        return processing.roster_import_apply(roster_import_id=roster_import_id).status
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            processing.roster_import_give_up(roster_import_id=roster_import_id, exc=exc)
        raise
