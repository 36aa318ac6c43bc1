"""A progress bar on stderr: one line redrawn in place on a terminal, plain lines elsewhere."""

from __future__ import annotations

import sys
import time


class Progress:
    """``with Progress("enrolments", total) as bar: bar.advance(n)``."""

    WIDTH = 30

    def __init__(self, label: str, total: int, stream=None) -> None:
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __enter__(self) -> Progress:
        self._draw(force=True)
        return self

    def __exit__(self, *exc_info) -> None:
        if exc_info[0] is None and self.done < self.total:
            self.done = self.total
            self._draw(force=True)
        if self._tty:
            self.stream.write("\n")
        self.stream.flush()

    def advance(self, amount: int = 1) -> None:
        self.done = min(self.total, self.done + amount)
        self._draw(force=self.done == self.total)

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        # On a terminal redraw at most ten times a second; in a log, every quarter.
        if not force:
            if self._tty and now - self._last_draw < 0.1:
                return
            if not self._tty and self.done * 4 // self.total == self._last_quarter():
                return
        self._last_draw = now
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = (
            f"{self.label:<28} [{bar}] {self.done:>9,}/{self.total:,} {now - self.started:6.1f} s"
        )
        if self._tty:
            self.stream.write("\r" + line)
        else:
            self.stream.write(line + "\n")
            self._quarter = self.done * 4 // self.total
        self.stream.flush()

    def _last_quarter(self) -> int:
        return getattr(self, "_quarter", -1)


def note(message: str) -> None:
    """A line of the run's narrative on stderr (the table goes to stdout)."""
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()
