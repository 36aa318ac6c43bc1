"""Queue again the roster imports that were waiting, checking or applying at the upgrade.

Before this release their tasks had other names and were found by a sweep of their own,
which is gone; without a ``core.QueuedTask`` row such an import would stay "Checking" or
"Applying" for ever. The queue's sweep sends these rows within a minute of the workers
starting (the tasks are idempotent by status, so one that did finish does nothing).
"""

from django.db import migrations
from django.utils import timezone

TASKS = {
    "pending": "org.roster_import_validate",
    "validating": "org.roster_import_validate",
    "applying": "org.roster_import_apply",
}


def queue_in_progress(apps, schema_editor):
    RosterImport = apps.get_model("org", "RosterImport")
    QueuedTask = apps.get_model("core", "QueuedTask")
    now = timezone.now()
    for pk, status in RosterImport.objects.filter(status__in=TASKS).values_list("pk", "status"):
        QueuedTask.objects.get_or_create(
            task=TASKS[status],
            key=str(pk),
            defaults={"args": [pk], "requested_at": now, "sent_at": None},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("org", "0002_rosterimport_no_queued_at"),
    ]

    operations = [migrations.RunPython(queue_in_progress, migrations.RunPython.noop)]
