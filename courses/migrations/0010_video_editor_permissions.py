"""Editors and Moderators upload and maintain videos (the "Videos" snippet).

Without this only superusers could open it, as with the question bank before
content.0004. It only adds: existing installations keep whatever their administrators set.
"""

from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")
GROUPS = ("Editors", "Moderators")


def _permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="courses", model="video")
    return [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_video",
            defaults={"name": f"Can {action} video"},
        )[0]
        for action in ACTIONS
    ]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0009_video_lessons"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
