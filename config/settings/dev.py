"""Settings for trying the product on one machine: SQLite and in-process tasks by default."""

from .base import *  # noqa: F403
from .env import env_str

DEBUG = True
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
