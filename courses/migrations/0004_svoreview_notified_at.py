from django.db import migrations, models


def mark_past_reviews_notified(apps, schema_editor):
    """Reviews made before this field existed were sent at the time: never send them again."""
    SvoReview = apps.get_model("courses", "SvoReview")
    SvoReview.objects.filter(notified_at__isnull=True).update(notified_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_dx_plans"),
    ]

    operations = [
        migrations.AddField(
            model_name="svoreview",
            name="notified_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="author notified at"),
        ),
        migrations.RunPython(mark_past_reviews_notified, migrations.RunPython.noop),
    ]
