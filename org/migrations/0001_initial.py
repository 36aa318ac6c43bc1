"""The organisation's models, moved from lms: their tables stay where they are.

State only: ``OrgUnit``, ``DxProAssignment``, ``ManagerAssignment`` and ``RosterImport`` were
created by lms's migrations and keep their tables (``db_table``) and rows; Django learns here
that org owns them. Their content types are renamed from lms to org, so the permissions that
point at them (HR's on the role snippets) and Wagtail's log entries stay attached.
"""

import datetime
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ("orgunit", "dxproassignment", "managerassignment", "rosterimport")


def _move_content_types(apps, schema_editor, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MOVED:
        old = types.filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = types.filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
            continue
        # Both exist (a type created under the new name by hand): keep the new one, with the
        # permissions of the old one that it lacks.
        taken = set(Permission.objects.filter(content_type=new).values_list("codename", flat=True))
        Permission.objects.filter(content_type=old).exclude(codename__in=taken).update(
            content_type=new
        )
        old.delete()
    from django.contrib.contenttypes.models import ContentType as LiveContentType

    LiveContentType.objects.clear_cache()


def content_types_to_org(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, source="lms", target="org")


def content_types_to_lms(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, source="org", target="lms")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("lms", "0010_people_list_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                    migrations.CreateModel(
                        name='OrgUnit',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('path', models.CharField(max_length=255, unique=True)),
                            ('depth', models.PositiveIntegerField()),
                            ('numchild', models.PositiveIntegerField(default=0)),
                            ('kind', models.CharField(choices=[('bureau', 'Bureau (局)'), ('department', 'Department (部)'), ('section', 'Section (課)'), ('unit', 'Unit (係)')], max_length=16, verbose_name='kind')),
                            ('code', models.CharField(blank=True, help_text="The code HR's system uses.", max_length=32, verbose_name='HR code')),
                            ('name', models.CharField(max_length=100, verbose_name='name')),
                            ('valid_from', models.DateField(default=datetime.date(2000, 4, 1), verbose_name='valid from')),
                            ('valid_to', models.DateField(blank=True, null=True, verbose_name='valid to')),
                            ('successor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='predecessors', to='org.orgunit', verbose_name='successor')),
                        ],
                        options={
                            'verbose_name': 'organisation unit',
                            'verbose_name_plural': 'organisation units',
                            'db_table': 'lms_orgunit',
                        },
                    ),
                    migrations.CreateModel(
                        name='ManagerAssignment',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                            ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='manager_assignments', to=settings.AUTH_USER_MODEL, verbose_name='manager')),
                            ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='manager_assignments', to='org.orgunit', verbose_name='unit')),
                        ],
                        options={
                            'verbose_name': 'manager assignment',
                            'verbose_name_plural': 'manager assignments',
                            'db_table': 'lms_managerassignment',
                        },
                    ),
                    migrations.CreateModel(
                        name='DxProAssignment',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('fiscal_year', models.PositiveSmallIntegerField(verbose_name='fiscal year')),
                            ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                            ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dx_pro_assignments', to=settings.AUTH_USER_MODEL, verbose_name='DX PRO')),
                            ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='dx_pro_assignments', to='org.orgunit', verbose_name='unit')),
                        ],
                        options={
                            'verbose_name': 'DX PRO assignment',
                            'verbose_name_plural': 'DX PRO assignments',
                            'db_table': 'lms_dxproassignment',
                        },
                    ),
                    migrations.CreateModel(
                        name='RosterImport',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('file', models.FileField(upload_to='roster/%Y/%m/', verbose_name='file')),
                            ('file_name', models.CharField(max_length=255, verbose_name='file name')),
                            ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded at')),
                            ('applied_at', models.DateTimeField(blank=True, null=True, verbose_name='applied at')),
                            ('full_roster', models.BooleanField(default=True, help_text='People missing from a full roster are deactivated.', verbose_name='full roster')),
                            ('status', models.CharField(choices=[('pending', 'Waiting'), ('validating', 'Checking'), ('previewed', 'Ready to apply'), ('invalid', 'Has errors'), ('applying', 'Applying'), ('applied', 'Applied'), ('failed', 'Failed')], default='pending', max_length=16, verbose_name='status')),
                            ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progress')),
                            ('total_rows', models.PositiveIntegerField(default=0, verbose_name='rows')),
                            ('created_count', models.PositiveIntegerField(default=0, verbose_name='new')),
                            ('updated_count', models.PositiveIntegerField(default=0, verbose_name='changed')),
                            ('unchanged_count', models.PositiveIntegerField(default=0, verbose_name='unchanged')),
                            ('deactivated_count', models.PositiveIntegerField(default=0, verbose_name='deactivated')),
                            ('units_created_count', models.PositiveIntegerField(default=0, verbose_name='units created')),
                            ('units_renamed_count', models.PositiveIntegerField(default=0, verbose_name='units renamed')),
                            ('errors', models.JSONField(blank=True, default=list, verbose_name='errors')),
                            ('failure_reason', models.TextField(blank=True, verbose_name='failure reason')),
                            ('no_change_fingerprint', models.CharField(blank=True, db_default='', editable=False, max_length=64, verbose_name='fingerprint of an unchanged preview')),
                            ('queued_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='queued at')),
                            ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                        ],
                        options={
                            'verbose_name': 'roster import',
                            'verbose_name_plural': 'roster imports',
                            'db_table': 'lms_rosterimport',
                            'ordering': ['-created_at'],
                        },
                    ),
                    migrations.AddIndex(
                        model_name='orgunit',
                        index=models.Index(fields=['path'], name='orgunit_path_prefix', opclasses=['varchar_pattern_ops']),
                    ),
                    migrations.AddConstraint(
                        model_name='orgunit',
                        constraint=models.UniqueConstraint(condition=models.Q(('valid_to__isnull', True), models.Q(('code', ''), _negated=True)), fields=('code',), name='orgunit_unique_current_code'),
                    ),
                    migrations.AddConstraint(
                        model_name='managerassignment',
                        constraint=models.UniqueConstraint(fields=('user', 'unit'), name='manager_unique_user_unit'),
                    ),
                    migrations.AddIndex(
                        model_name='dxproassignment',
                        index=models.Index(fields=['fiscal_year', 'unit'], name='dxpro_year_unit'),
                    ),
                    migrations.AddConstraint(
                        model_name='dxproassignment',
                        constraint=models.UniqueConstraint(fields=('user', 'unit', 'fiscal_year'), name='dxpro_unique_user_unit_year'),
                    ),

            ],
        ),
        migrations.RunPython(content_types_to_org, content_types_to_lms),
    ]
