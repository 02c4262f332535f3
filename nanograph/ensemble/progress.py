"""A one-line progress bar with rate and ETA, drawn only on a terminal (silent in CI and pipes)."""

from __future__ import annotations

import sys
import time

__all__ = ["Progress"]


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """``[#####.....] 120/400  3.1/s  ETA 0:01:30  2 errors`` on ``stream``, redrawn at most 10 times a second.

    Parameters
    ----------
    total : int
        Number of steps expected.
    stream : file, optional
        Where to draw (default ``sys.stderr``).
    enabled : bool, optional
        Draw or not; default: only when ``stream`` is a terminal.
    """

    def __init__(self, total: int, stream=None, enabled: bool | None = None):
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.done = 0
        self.errors = 0
        self.start = time.perf_counter()
        self._drawn = 0.0

    def update(self, error: bool = False) -> None:
        """One step finished (``error`` if it failed)."""
        self.done += 1
        self.errors += bool(error)
        now = time.perf_counter()
        if self.enabled and (now - self._drawn > 0.1 or self.done == self.total):
            self._drawn = now
            self.stream.write("\r" + self.line(now - self.start))
            self.stream.flush()

    def line(self, elapsed: float) -> str:
        """The bar after ``elapsed`` seconds."""
        width = 30
        filled = width * self.done // max(self.total, 1)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else float("nan")
        text = f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}  {rate:.3g}/s"
        text += f"  ETA {_clock(eta)}" if eta == eta else "  ETA ?"
        return text + (f"  {self.errors} errors" if self.errors else "")

    def close(self) -> None:
        """End the line of the bar."""
        if self.enabled and self.done:
            self.stream.write("\n")
            self.stream.flush()
