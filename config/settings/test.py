"""Settings for the test suite.

The database comes from DATABASE_URL (PostgreSQL, set by ``scripts/run_tests.py``; SQLite in
memory without it). Tasks run eagerly in the test process. The integration tests start a real
Celery worker with CELERY_INTEGRATION_BROKER_URL set, which points it at their Redis database
and turns eager mode off; they point the test process's Celery app at the same broker
themselves (``tests/integration/conftest.py``).
"""

from .base import *  # noqa: F403
from .env import env_str

# Demo data and the benchmark (seed_demo, benchmark): never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405

# A second, real SQLite database beside the default one, so that the SQL we write for both
# vendors (core.db) is tested on both in every run. Its tables come from the models directly.
DATABASES["sqlite"] = {  # noqa: F405
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": ":memory:",
    "TEST": {"MIGRATE": False},
}

# The test databases are copies of a database migrated once (scripts/run_tests.py makes it and
# names it here), so that no run, and no pytest-xdist worker, migrates from scratch.
_TEMPLATE = env_str("DX_TEST_DATABASE_TEMPLATE", "")
if _TEMPLATE and DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"TEMPLATE": _TEMPLATE}  # noqa: F405

# The audit log refuses TRUNCATE (audit/migrations/0004) unless the session allows it; the
# test runner's flush between transactional tests truncates every table, so the test
# connections, and only they, allow it. Never set this in any other settings.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    _OPTIONS = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _OPTIONS["options"] = f"{_OPTIONS.get('options', '')} -c dx.allow_truncate=on".strip()

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = env_str("CELERY_INTEGRATION_BROKER_URL", "") or "memory://"
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_INTEGRATION_QUEUE", "celery")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests do not run collectstatic: serve static files from the finders, as in development.
WHITENOISE_AUTOREFRESH = True
AXES_FAILURE_LIMIT = 3
SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
TRAINING_CONTACT = "人事課 研修担当（内線 1234）"
CERTIFICATE_ISSUER = "人事課長"
# The chat channels' tests post to a server of their own on loopback, over http.
NOTICE_ALLOW_HTTP_LOOPBACK = True
NOTICE_CHANNEL_TIMEOUT = 1
# Each test process has its own cache, emptied before every test (tests/conftest.py), and keeps
# the rendered pages a shared cache would, so the tests see what production serves.
#: The integration layer's Celery worker shares the ``pages`` cache through Redis (its own
#: database and prefix), so a test can show a change reaching another process; every other
#: process of the suite keeps it in memory.
SHARED_TEST_CACHE = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": env_str("DX_TEST_SHARED_CACHE_URL", ""),
    "KEY_PREFIX": "dx-it",
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": (
        SHARED_TEST_CACHE
        if SHARED_TEST_CACHE["LOCATION"]
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
    ),
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "thr"},
}
LMS_FRAGMENT_CACHE = True
