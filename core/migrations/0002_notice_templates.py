"""The notice templates and signature HR edits in the CMS, with the texts as shipped.

Writes one template per kind and the signature from ``core.notices.defaults`` (only where
none exists: what HR wrote is never overwritten), and lets the HR group edit them (view and
change; the kinds are fixed, so no add or delete).
"""

from django.db import migrations, models

from core.notices.defaults import DEFAULT_SIGNATURE, DEFAULT_TEMPLATES

HR = "HR"
TEMPLATES = {str(kind): texts for kind, texts in DEFAULT_TEMPLATES.items()}
SIGNATURE = tuple(DEFAULT_SIGNATURE)
PERMISSIONS = {
    "noticetemplate": ("view", "change"),
    "noticesettings": ("change",),
}


def write_defaults(apps, schema_editor):
    NoticeTemplate = apps.get_model("core", "NoticeTemplate")
    NoticeSettings = apps.get_model("core", "NoticeSettings")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for kind, (subject_ja, body_ja, subject_en, body_en) in TEMPLATES.items():
        NoticeTemplate.objects.get_or_create(
            kind=kind,
            defaults={
                "subject_ja": subject_ja,
                "body_ja": body_ja,
                "subject_en": subject_en,
                "body_en": body_en,
            },
        )
    if not NoticeSettings.objects.exists():
        NoticeSettings.objects.create(signature_ja=SIGNATURE[0], signature_en=SIGNATURE[1])
    hr, _ = Group.objects.get_or_create(name=HR)
    for model, actions in PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="core", model=model)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            hr.permissions.add(permission)


def remove_defaults(apps, schema_editor):
    apps.get_model("core", "NoticeTemplate").objects.all().delete()
    apps.get_model("core", "NoticeSettings").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='NoticeSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('contact', models.CharField(blank=True, help_text='e.g. 人事課 研修担当（内線 1234）; blank: TRAINING_CONTACT of the server.', max_length=200, verbose_name='contact')),
                ('signature_ja', models.TextField(default='--\n{サイト名}\nお問い合わせ先：{連絡先}\n{サイトURL}/\nこのメールは研修システムから自動で送信しています。', verbose_name='signature (Japanese)')),
                ('signature_en', models.TextField(blank=True, default='--\n{サイト名}\nQuestions: {連絡先}\n{サイトURL}/\nThis e-mail was sent automatically by the training system.', verbose_name='signature (English)')),
            ],
            options={
                'verbose_name': 'notice signature',
                'verbose_name_plural': 'notice signatures',
            },
        ),
        migrations.CreateModel(
            name='NoticeTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('assignment', 'Course assigned'), ('reminder', 'Request to take training: due soon and overdue (daily)'), ('reminder_manual', 'Request to take training: sent by HR or a manager'), ('escalation', 'Overdue staff: to managers and DX PROs'), ('review_approved', 'SVO worksheet approved'), ('review_returned', 'SVO worksheet returned'), ('certificate', 'Certificate issued')], max_length=32, unique=True, verbose_name='kind')),
                ('subject_ja', models.CharField(max_length=200, verbose_name='subject (Japanese)')),
                ('body_ja', models.TextField(verbose_name='body (Japanese)')),
                ('subject_en', models.CharField(blank=True, max_length=200, verbose_name='subject (English)')),
                ('body_en', models.TextField(blank=True, verbose_name='body (English)')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
            ],
            options={
                'verbose_name': 'notice template',
                'verbose_name_plural': 'notice templates',
                'ordering': ['kind'],
            },
        ),
        migrations.RunPython(write_defaults, remove_defaults),
    ]
