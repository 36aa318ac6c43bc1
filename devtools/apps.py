"""The devtools app: installed for its management commands by non-production settings only."""

from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Demo data and the benchmark; no models, no URLs of the product."""

    name = "devtools"
    verbose_name = "Development tools"
    default_auto_field = "django.db.models.BigAutoField"
