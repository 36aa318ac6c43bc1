"""The devtools commands, one ``manage.py`` command per module."""
