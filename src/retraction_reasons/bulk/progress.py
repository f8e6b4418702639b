"""Progress of a bulk job: a tqdm bar on a terminal, a plain log line every few seconds
otherwise (CI logs, ``nohup``), nothing with ``quiet``."""

from __future__ import annotations

import sys
import time
from typing import IO

__all__ = ["Progress", "format_duration"]


def format_duration(seconds: float) -> str:
    """``3h02m``, ``4m05s``, ``12s``."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class Progress:
    """Rows done out of ``total`` (None when unknown); ``initial`` rows were done before
    (resumed shards) and do not count towards the rate."""

    def __init__(self, total: int | None, *, initial: int = 0, quiet: bool = False,
                 stream: IO[str] | None = None, interval: float = 5.0, label: str = "annotate") -> None:
        self.total = total
        self.initial = initial
        self.done = initial
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.interval = interval
        self.label = label
        self.started = time.monotonic()
        self._last_line = self.started
        self._bar = None
        if not quiet and _is_terminal(self.stream):
            from tqdm import tqdm

            self._bar = tqdm(total=total, initial=initial, unit=" notices", desc=label, file=self.stream,
                             dynamic_ncols=True, smoothing=0.1)

    def log(self, message: str) -> None:
        """A line of information (above the bar on a terminal)."""
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.write(f"{self.label}: {message}", file=self.stream)
        else:
            print(f"{self.label}: {message}", file=self.stream, flush=True)

    def advance(self, rows: int) -> None:
        self.update_to(self.done + rows)

    def update_to(self, done: int) -> None:
        """Set the rows done (a count that only grows)."""
        if done <= self.done:
            return
        if self._bar is not None:
            self._bar.update(done - self.done)
        self.done = done
        now = time.monotonic()
        if self._bar is None and not self.quiet and now - self._last_line >= self.interval:
            self._last_line = now
            print(f"{self.label}: {self.line()}", file=self.stream, flush=True)

    def line(self) -> str:
        """``12,000 / 100,000 notices (12%), 160.2 notices/s, ETA 8m07s``."""
        elapsed = time.monotonic() - self.started
        rate = (self.done - self.initial) / elapsed if elapsed > 0 else 0.0
        if self.total:
            left = max(self.total - self.done, 0)
            eta = format_duration(left / rate) if rate > 0 else "?"
            return (f"{self.done:,} / {self.total:,} notices ({100 * self.done / self.total:.0f}%), "
                    f"{rate:,.1f} notices/s, ETA {eta}")
        return f"{self.done:,} notices, {rate:,.1f} notices/s"

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
