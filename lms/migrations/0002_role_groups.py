"""Create the HR group and let HR and editors into the Wagtail admin."""

from django.db import migrations


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")

    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    hr, _ = Group.objects.get_or_create(name="HR")
    hr.permissions.add(access_admin)
    for name in ("Editors", "Moderators"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)


def remove_hr_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="HR").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_hr_group)]
