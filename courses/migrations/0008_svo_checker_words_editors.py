"""Content editors (DX推進課) may open and change the SVO checker's extra words in the CMS."""

from django.db import migrations

EDITORS = "Editors"
ACTIONS = ("view", "change")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    content_type, _ = ContentType.objects.get_or_create(
        app_label="courses", model="svocheckerwords"
    )
    for action in ACTIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_svocheckerwords",
            defaults={"name": f"Can {action} SVO checker words"},
        )
        editors.permissions.add(permission)


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('courses', '0007_svo_checker_words_minutes'),
    ]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
