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
