"""Settings for trying the product on one machine: SQLite and in-process tasks by default."""

from .base import *  # noqa: F403
from .env import env_str

# Demo data and the benchmark (seed_demo, benchmark): never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405

DEBUG = True
# The demo city's sender (scripts/demo.sh sets SITE_URL to the port it serves on).
TRAINING_CONTACT = env_str("TRAINING_CONTACT", "人事課 研修担当（内線 1234）")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
