"""Units now point at org.OrgUnit (state only: the same table and columns).

Runs before lms forgets its own OrgUnit (``run_before``), so that lms, below surveys, names
nothing of it.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
        ('surveys', '0001_initial'),
    ]
    run_before = [
        ('lms', '0011_org_models_moved_to_org'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='maturityassessment',
                    name='department',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.orgunit', verbose_name='department'),
                ),
                migrations.AlterField(
                    model_name='surveyresponse',
                    name='unit',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.orgunit', verbose_name='unit when answering'),
                ),
            ],
        ),
    ]
