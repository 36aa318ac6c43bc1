"""System checks for settings the product relies on."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_language_settings(app_configs, **kwargs):
    errors = []
    codes = [code for code, _name in settings.LANGUAGES]
    if codes[:1] != ["ja"] or "en" not in codes:
        errors.append(
            Error(
                "LANGUAGES must list Japanese first and English second.",
                id="core.E001",
            )
        )
    if settings.TIME_ZONE != "Asia/Tokyo":
        errors.append(
            Warning(
                "TIME_ZONE is not Asia/Tokyo: fiscal years and due dates follow local dates.",
                id="core.W001",
            )
        )
    return errors


@register(deploy=True)
def check_celery_broker(app_configs, **kwargs):
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return [
            Warning(
                "Celery runs tasks in-process (no CELERY_BROKER_URL/REDIS_URL).",
                hint="Set REDIS_URL so grading and imports run on Celery workers.",
                id="core.W002",
            )
        ]
    return []


@register()
def check_site_url(app_configs, **kwargs):
    """``SITE_URL`` is also Wagtail's default site (``content.sites``), and a Wagtail ``Site``
    is a hostname and a port: ``https`` on port 443, ``http`` on any other, no path."""
    from urllib.parse import urlsplit

    parts = urlsplit(settings.SITE_URL)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            Error(
                "SITE_URL must be an absolute http(s) address, e.g. https://dx.city.example.jp.",
                id="core.E002",
            )
        ]
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if parts.path.strip("/") or (parts.scheme == "https") != (port == 443):
        return [
            Warning(
                "Wagtail cannot name SITE_URL as its site: page addresses in the CMS and "
                "sitemaps will differ from the links in e-mails.",
                hint="Use https on port 443 or http on another port, without a path.",
                id="core.W003",
            )
        ]
    return []
