"""Roster files move to private storage (``PRIVATE_STORAGE_ROOT``), out of the public media
folder: those already uploaded are moved there under the same name (security review F3)."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import core.storage


def _move(apps, *, source: Path, target: Path) -> None:
    RosterImport = apps.get_model("org", "RosterImport")
    for name in RosterImport.objects.exclude(file="").values_list("file", flat=True):
        old, new = source / name, target / name
        if old.is_file() and not new.exists():
            new.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(old, new)


def to_private(apps, schema_editor):
    _move(apps, source=Path(settings.MEDIA_ROOT), target=Path(settings.PRIVATE_STORAGE_ROOT))


def to_media(apps, schema_editor):
    _move(apps, source=Path(settings.PRIVATE_STORAGE_ROOT), target=Path(settings.MEDIA_ROOT))


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_roster_deactivations_cancel"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rosterimport",
            name="file",
            field=models.FileField(
                storage=core.storage.private_storage,
                upload_to="roster/%Y/%m/",
                verbose_name="file",
            ),
        ),
        migrations.RunPython(to_private, to_media, elidable=False),
    ]
