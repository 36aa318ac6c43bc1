"""The Celery application.

Configuration comes from Django settings under the ``CELERY_`` namespace, so a broker URL in
the environment is all a deployment needs. Tasks are discovered in every installed app.

Database connections in a worker follow Django's rules for requests, not Celery's default.
Celery's Django fixup closes every connection before and after each task unless
``CELERY_DB_REUSE_MAX`` is set, and opening a PostgreSQL connection costs more than a small
task itself (it was most of the time of grading a quiz attempt). So connections are kept
(the fixup only recycles them every ``CELERY_DB_REUSE_MAX`` tasks), and at both ends of a
task ``close_old_connections`` applies ``CONN_MAX_AGE`` and ``CONN_HEALTH_CHECKS`` and drops a
connection that failed, as Django does around a request: after PostgreSQL restarts, the next
task reconnects instead of failing on the dead connection.
"""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("dx_training")
app.config_from_object("django.conf:settings", namespace="CELERY")
# A default only: a CELERY_DB_REUSE_MAX in the settings wins.
app.add_defaults({"CELERY_DB_REUSE_MAX": 1000})
app.autodiscover_tasks()


@task_prerun.connect(dispatch_uid="config.celery_app.connections_before_task")
@task_postrun.connect(dispatch_uid="config.celery_app.connections_after_task")
def _close_old_connections(sender=None, **kwargs) -> None:
    """Django's per-request connection rule, per task (never for an eager task: that runs
    inside the caller's request or transaction, whose connection is the caller's)."""
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
