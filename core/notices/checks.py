"""System checks of the chat channels' settings: half a configuration is an error, not a
channel that silently never posts."""

from django.conf import settings
from django.core.checks import Error, register

from .lineworks import REQUIRED, lineworks_settings
from .transport import url_allowed


@register()
def check_lineworks(app_configs, **kwargs):
    given = lineworks_settings()
    if not given:
        return []
    errors = []
    missing = [name for name in REQUIRED if name not in given]
    if missing:
        names = ", ".join(f"LINEWORKS_{name.upper()}" for name in missing)
        errors.append(
            Error(
                f"LINE WORKS is half configured: {names} not set (or the key file unreadable).",
                hint="Set all of them to send reminders by LINE WORKS, or none to turn it off.",
                id="core.E010",
            )
        )
    for name in ("LINEWORKS_AUTH_URL", "LINEWORKS_API_URL"):
        if not url_allowed(getattr(settings, name)):
            errors.append(
                Error(
                    f"{name} must be an https address.",
                    hint="http only to loopback, with NOTICE_ALLOW_HTTP_LOOPBACK (tests).",
                    id="core.E011",
                )
            )
    return errors


@register(deploy=True)
def check_http_loopback(app_configs, **kwargs):
    if getattr(settings, "NOTICE_ALLOW_HTTP_LOOPBACK", False):
        return [
            Error(
                "NOTICE_ALLOW_HTTP_LOOPBACK is on: chat messages may go over plain http.",
                hint="Only the test settings turn it on.",
                id="core.E012",
            )
        ]
    return []
