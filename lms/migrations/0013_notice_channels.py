"""Notices that reach people: the Teams channel of a unit, how each reminder went out, and
whether a person was told of an assignment or of their certificate.

Enrolments and certificates that exist already are marked as told (at their creation): their people learnt
of them before notices existed, and the next roster import, which runs every active
assignment's fan-out, must not e-mail the whole city about last April's courses. HR may
manage the Teams channels (all four permissions).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F

HR = "HR"
ACTIONS = ("add", "change", "delete", "view")


def mark_told_and_grant(apps, schema_editor):
    Enrollment = apps.get_model("lms", "Enrollment")
    Enrollment.objects.filter(notified_at__isnull=True).update(notified_at=F("created_at"))
    Certificate = apps.get_model("lms", "Certificate")
    Certificate.objects.filter(notified_at__isnull=True).update(notified_at=F("issued_at"))
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    hr, _ = Group.objects.get_or_create(name=HR)
    content_type, _ = ContentType.objects.get_or_create(app_label="lms", model="unitteamschannel")
    for action in ACTIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_unitteamschannel",
            defaults={"name": f"Can {action} Teams channel"},
        )
        hr.permissions.add(permission)


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0005_coursepage_trains_dx_pros'),
        ('lms', '0012_activation_codes'),
        ('org', '0005_roster_files_private'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='UnitTeamsChannel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('webhook_url', models.URLField(help_text='The https address Teams gives the workflow that posts to the channel.', max_length=1000, verbose_name='Workflows webhook URL')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
            ],
            options={
                'verbose_name': 'Teams channel',
                'verbose_name_plural': 'Teams channels',
            },
        ),
        migrations.AddField(
            model_name='enrollment',
            name='notified_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='notified at'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='notified_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='notified at'),
        ),
        migrations.AddField(
            model_name='reminderlog',
            name='channel',
            field=models.CharField(choices=[('email', 'E-mail'), ('teams', 'Microsoft Teams'), ('lineworks', 'LINE WORKS')], default='email', max_length=16, verbose_name='channel'),
        ),
        migrations.AddField(
            model_name='reminderlog',
            name='failure',
            field=models.CharField(blank=True, max_length=300, verbose_name='channel failure'),
        ),
        migrations.AddIndex(
            model_name='enrollment',
            index=models.Index(condition=models.Q(('assignment__isnull', False), ('notified_at__isnull', True)), fields=['assignment'], name='enrollment_to_notify'),
        ),
        migrations.AddField(
            model_name='unitteamschannel',
            name='unit',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='teams_channel', to='org.orgunit', verbose_name='unit'),
        ),
        migrations.RunPython(mark_told_and_grant, migrations.RunPython.noop),
    ]
