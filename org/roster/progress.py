"""The progress bar of a roster import: the percentage the page polls, written as it moves."""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections

from ..models import RosterImport

logger = logging.getLogger(__name__)


class ProgressReporter:
    """Writes ``RosterImport.progress`` (0-100) when it moves, at most once per percent.

    Inside a transaction the write goes through a separate autocommit connection so the page
    sees it at once; on databases where that would wait for our own lock (SQLite) it is skipped.
    Progress is best effort: a failure to write it never fails the import.
    """

    def __init__(self, roster_import_id: int) -> None:
        self.pk = roster_import_id
        self.last = -1
        self._side = None
        self._table = RosterImport._meta.db_table

    def phase(self, start: int, end: int):
        """A callback for ``done`` of ``total`` items mapped into ``start``-``end`` percent."""

        def report(done: int, total: int) -> None:
            self.set(start + (end - start) * done // max(total, 1))

        return report

    def set(self, percent: int) -> None:
        percent = max(0, min(100, percent))
        if percent == self.last:
            return
        self.last = percent
        target = connection
        if connection.in_atomic_block:
            if connection.vendor != "postgresql":
                return
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            target = self._side
        try:
            with target.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {self._table} SET progress = %s WHERE id = %s",
                    [percent, self.pk],
                )
        except DatabaseError:
            logger.warning("Could not record progress of roster import %s", self.pk)

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
