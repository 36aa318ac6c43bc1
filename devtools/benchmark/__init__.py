"""The city-scale benchmark behind ``manage.py benchmark``.

The command (``devtools.management.commands.benchmark``) only checks the setup, creates a
database of its own (``<name>_benchmark``) and starts ``python -m devtools.benchmark.runner``
with ``devtools.benchmark.settings``: that process, the Celery worker and gunicorn it starts
all point at the benchmark database and at a Celery queue of their own, so a run on a
production server never reads or writes the real data and never hands a task to the real
workers.

Modules: ``database`` (create and drop the benchmark database), ``city`` (the synthetic city,
set-based), ``scenarios`` (what is measured and its limit), ``processes`` (worker and
gunicorn), ``load`` (the HTTP load generator, a second process), ``report`` (table, JSON,
Markdown), ``runner`` (the order of it all).
"""
