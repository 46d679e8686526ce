"""A one-line progress bar for long scans, on stderr only when stderr is a terminal (never in logs or
pipes) and not with ``-q``.  It is driven by the ``progress`` callback of :func:`il1rn_annot.api.annotate_vcf`."""

from __future__ import annotations

import time


class ProgressBar:
    WIDTH = 30

    def __init__(self, stream, min_interval: float = 0.2):
        self.stream = stream
        self.min_interval = min_interval
        self.t0 = time.perf_counter()
        self._last = 0.0
        self._shown = False

    @staticmethod
    def wanted(stream, *, quiet: bool) -> bool:
        isatty = getattr(stream, "isatty", None)
        return not quiet and bool(isatty and isatty())

    def render(self, records: int, fraction: float | None) -> str:
        elapsed = time.perf_counter() - self.t0
        rate = records / elapsed if elapsed > 0 else 0.0
        if fraction is None:
            return f"il1rn-annot: scanning {records:,} records ({rate:,.0f}/s)"
        done = int(self.WIDTH * fraction)
        bar = "#" * done + "-" * (self.WIDTH - done)
        return f"il1rn-annot: [{bar}] {100 * fraction:5.1f}% {records:,} records ({rate:,.0f}/s)"

    def update(self, records: int, fraction: float | None) -> None:
        now = time.perf_counter()
        if fraction != 1.0 and now - self._last < self.min_interval:
            return
        self._last = now
        self.stream.write("\r" + self.render(records, fraction) + "\x1b[K")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False
