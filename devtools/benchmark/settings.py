"""Settings of a benchmark run: the runner, its Celery worker and its gunicorn use these.

Everything that could touch real data is replaced: the database is the one the command
created (its name must end in ``_benchmark``), Celery sends to a queue of the run's own, and
the URLconf adds a bare view that exists only here. Otherwise the product's base settings
apply unchanged, with ``DEBUG`` off, so what is measured is what runs in production.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.logging import logging_config
from config.settings.base import *  # noqa: F403

from .names import DATABASE_SUFFIX

_database = dj_database_url.parse(
    os.environ.get("DX_BENCHMARK_DATABASE_URL", ""), conn_max_age=600, conn_health_checks=True
)
if not str(_database.get("NAME", "")).endswith(DATABASE_SUFFIX):
    raise ImproperlyConfigured(
        "devtools.benchmark.settings needs DX_BENCHMARK_DATABASE_URL naming a database whose "
        f"name ends in {DATABASE_SUFFIX!r}; run `manage.py benchmark`, which creates it."
    )
DATABASES = {"default": _database}

# The benchmark belongs to devtools, which production never installs. The app has no models,
# middleware, templates or static files, so what is measured is still what production runs.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405

DEBUG = False
SECRET_KEY = os.environ.get("DX_BENCHMARK_SECRET_KEY") or "benchmark-only-not-a-secret"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "devtools.benchmark.urls"
MEDIA_ROOT = os.environ.get("DX_BENCHMARK_MEDIA_ROOT", "/tmp/dx-benchmark-media")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Nobody signs in with a password during the benchmark; sessions are made directly.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

CELERY_BROKER_URL = os.environ.get("DX_BENCHMARK_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("DX_BENCHMARK_QUEUE", "dx-benchmark")
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Pages the run keeps go under a prefix of their own: its user ids are not the real ones, and
# a run beside a live Redis must neither serve nor retire real people's pages.
CACHES = {
    **CACHES,  # noqa: F405
    "pages": {**CACHES["pages"], "KEY_PREFIX": "dx-benchmark"},  # noqa: F405
}

LOGGING = logging_config(json_format=False, level="WARNING")
