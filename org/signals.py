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
    sender ``RosterImport``; arguments ``roster_import_id``, ``people_changed`` (False
    when the apply wrote no person, unit or appointment: receivers may skip their work) and
    ``people_count`` (how many people it created or changed).
    Sent inside the transaction that applies a roster import: people may have joined, moved
    or left, so receivers bring enrollments up to date (set-based, in this transaction: a
    new hire is enrolled together with the row that records them) and record the work that
    recounts per-unit figures (``core.queue``), all of which commits with the import or not
    at all. Receivers must be set-based, and let a database error propagate.
"""

from django.dispatch import Signal

roster_uploaded = Signal()
roster_apply_requested = Signal()
roster_applied = Signal()
roster_cancelled = Signal()
roster_file_read = Signal()
