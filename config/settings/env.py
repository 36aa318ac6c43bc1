"""Small helpers that read typed values from the environment.

Settings modules call these at import time of the settings module only; application code
reads ``django.conf.settings`` and never the environment directly.
"""

import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str:
    """Return the variable ``name`` or ``default``; raise if neither is set."""
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    """Return a boolean read from ``1/0``, ``true/false``, ``yes/no``, ``on/off``."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    """Return a comma-separated variable as a list with blanks removed."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]
