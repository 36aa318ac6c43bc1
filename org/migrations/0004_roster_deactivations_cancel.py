"""Roster imports keep who a preview deactivates and the count HR confirmed, can be
cancelled, and are partial unless HR says the file is the full roster."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0003_queue_roster_imports_in_progress"),
    ]

    operations = [
        migrations.AddField(
            model_name="rosterimport",
            name="confirmed_deactivations",
            field=models.PositiveIntegerField(
                blank=True, editable=False, null=True, verbose_name="deactivations confirmed"
            ),
        ),
        migrations.AddField(
            model_name="rosterimport",
            name="deactivated_ids",
            field=models.JSONField(
                blank=True, default=list, editable=False, verbose_name="people to deactivate"
            ),
        ),
        migrations.AlterField(
            model_name="rosterimport",
            name="full_roster",
            field=models.BooleanField(
                default=False,
                help_text="People missing from a full roster are deactivated.",
                verbose_name="full roster",
            ),
        ),
        migrations.AlterField(
            model_name="rosterimport",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting"),
                    ("validating", "Checking"),
                    ("previewed", "Ready to apply"),
                    ("invalid", "Has errors"),
                    ("applying", "Applying"),
                    ("applied", "Applied"),
                    ("failed", "Failed"),
                    ("cancelled", "Cancelled"),
                ],
                default="pending",
                max_length=16,
                verbose_name="status",
            ),
        ),
    ]
