"""The Celery application.

Configuration comes from Django settings under the ``CELERY_`` namespace, so a broker URL in
the environment is all a deployment needs. Tasks are discovered in every installed app.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("dx_training")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
