"""The record of work queued after a commit (the transactional outbox of ``core.queue``)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QueuedTask(models.Model):
    """A task some change needs, written in the change's own transaction.

    ``core.queue.enqueue_on_commit`` writes the row and sends the task once the transaction
    commits; the task removes the row when it has done the work. A row that stays (the broker
    was down, a message was lost, a worker died with it) is sent again by
    ``core.queued_tasks_sweep``, so a lost message delays work and loses none.

    ``key`` names the work, so that asking twice for the same work (grade what is waiting,
    check this worksheet) is one row and one message: a task that is running when it is
    asked again (``again``) runs once more when it ends. A task delivered more often than its
    retries allow is recorded as failed with the reason (``failed_at``) and not run again:
    a file that kills the worker cannot kill the next one forever.
    """

    task = models.CharField(_("task"), max_length=200)
    key = models.CharField(_("key"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    again = models.BooleanField(_("asked again while running"), default=False)
    deliveries = models.PositiveIntegerField(_("deliveries"), default=0)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    failure_reason = models.TextField(_("failure reason"), blank=True)

    class Meta:
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")
        constraints = [
            # One row per piece of work: what makes asking twice one message.
            models.UniqueConstraint(fields=["task", "key"], name="queuedtask_unique_task_key")
        ]
        indexes = [
            # The sweep reads the live rows by age; failed ones stay for people to read.
            models.Index(
                fields=["sent_at"],
                name="queuedtask_live_sent",
                condition=models.Q(failed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}[{self.key}]"


# The notice templates and signature (core.notices), found by Django as models of core.
from .notices.models import NoticeSettings, NoticeTemplate  # noqa: E402

__all__ = ["NoticeSettings", "NoticeTemplate", "QueuedTask"]
