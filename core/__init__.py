"""The shared core under every app: the fiscal year, the house Celery task, queueing work
after a commit (recorded, then swept), bulk SQL and small request helpers. No business rules."""
