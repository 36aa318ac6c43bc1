"""Settings by environment: base (shared), dev, test, production; choose with
DJANGO_SETTINGS_MODULE."""
