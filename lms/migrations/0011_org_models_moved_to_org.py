"""The organisation's models moved to the org app (state only: no table changes).

Foreign keys to units now point at org.OrgUnit (the same tables and columns), and lms
forgets the four models; org's first migration took them over with their tables."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_unit_in_org'),
        ('lms', '0010_people_list_indexes'),
        ('org', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='managerassignment',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='managerassignment',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='orgunit',
                    name='successor',
                ),
                migrations.AlterField(
                    model_name='unitcoursestats',
                    name='unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.orgunit', verbose_name='unit'),
                ),
                migrations.AlterField(
                    model_name='user',
                    name='unit',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='members', to='org.orgunit', verbose_name='unit'),
                ),
                migrations.AlterField(
                    model_name='enrollment',
                    name='unit_at_completion',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.orgunit', verbose_name='unit at completion'),
                ),
                migrations.RemoveField(
                    model_name='rosterimport',
                    name='uploaded_by',
                ),
                migrations.AlterField(
                    model_name='assignment',
                    name='units',
                    field=models.ManyToManyField(blank=True, help_text='Everyone under these units. Leave empty for the whole city.', related_name='assignments', to='org.orgunit', verbose_name='units'),
                ),
                migrations.DeleteModel(
                    name='DxProAssignment',
                ),
                migrations.DeleteModel(
                    name='ManagerAssignment',
                ),
                migrations.DeleteModel(
                    name='OrgUnit',
                ),
                migrations.DeleteModel(
                    name='RosterImport',
                ),
            ],
        ),
    ]
