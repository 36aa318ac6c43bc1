"""Mark the people that come from HR's roster, so an import never deactivates anyone else."""

from django.db import migrations, models


def mark_roster_people(apps, schema_editor):
    # Before this field, people placed in a unit came from the roster; service accounts and
    # superusers have no unit.
    User = apps.get_model("lms", "User")
    User.objects.filter(unit__isnull=False, is_superuser=False).update(from_roster=True)


class Migration(migrations.Migration):
    dependencies = [("lms", "0003_hr_role_permissions")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="from_roster",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Created or updated by a roster import; deactivated when a full roster "
                    "no longer lists them."
                ),
                verbose_name="from the roster",
            ),
        ),
        migrations.RunPython(mark_roster_people, migrations.RunPython.noop),
    ]
