"""Signals the organisation app sends for the apps above it (lms, audit).

``roster_applied``
    sender ``RosterImport``; argument ``roster_import_id``. Sent once the transaction that
    applied a roster import has committed: people may have joined, moved or left, so receivers
    bring enrollments and per-unit figures up to date. Receivers must be quick (enqueue work).
"""

from django.dispatch import Signal

roster_applied = Signal()
