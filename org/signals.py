"""Signals the organisation app sends for the apps above it (lms, audit).

``roster_uploaded``
    sender ``RosterImport``; arguments ``roster_import`` and ``by`` (the person, or None for
    the command). Sent inside the transaction that records the upload, so what a receiver
    writes (the audit log) commits or rolls back with it.

``roster_apply_requested``
    sender ``RosterImport``; arguments ``roster_import`` and ``by``. Sent inside the
    transaction that marks a previewed import to be applied, likewise.

``roster_cancelled``
    sender ``RosterImport``; arguments ``roster_import`` and ``by``. Sent inside the
    transaction that discards an import (「キャンセル」), likewise.

``roster_file_read``
    sender ``RosterImport``; arguments ``roster_import`` and ``by``. Sent when someone opens
    an uploaded roster file (the whole city's names and addresses) to download it.

``roster_applied``
    sender ``RosterImport``; argument ``roster_import_id``. Sent inside the transaction that
    applies a roster import: people may have joined, moved or left, so receivers record the
    work that brings enrollments and per-unit figures up to date (``core.queue``), which
    commits with the import or not at all. Receivers must be quick, only record work (or act
    on commit), and let a database error propagate.
"""

from django.dispatch import Signal

roster_uploaded = Signal()
roster_apply_requested = Signal()
roster_applied = Signal()
roster_cancelled = Signal()
roster_file_read = Signal()
