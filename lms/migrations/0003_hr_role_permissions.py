"""Let HR appoint DX PROs and managers in the Wagtail admin."""

from django.db import migrations

MODELS = {"dxproassignment": "DX PRO assignment", "managerassignment": "manager assignment"}
HR_PERMISSIONS = [
    (model, action, f"{action}_{model}")
    for model in MODELS
    for action in ("add", "change", "delete", "view")
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    hr = Group.objects.get(name="HR")
    for model, action, codename in HR_PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label="lms", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": f"Can {action} {MODELS[model]}"},
        )
        hr.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    hr = Group.objects.filter(name="HR").first()
    if hr:
        hr.permissions.filter(
            content_type__app_label="lms",
            codename__in=[codename for _model, _action, codename in HR_PERMISSIONS],
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("lms", "0002_role_groups")]

    operations = [migrations.RunPython(grant, revoke)]
