"""Resident memory of the server and engine processes, sampled in a background thread."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field

import psutil


@dataclass
class RssTrace:
    """One process's resident set size over time (bytes)."""

    pid: int
    samples: list[tuple[float, int]] = field(default_factory=list)

    @property
    def peak(self) -> int:
        return max((rss for _, rss in self.samples), default=0)

    @property
    def first(self) -> int:
        return self.samples[0][1] if self.samples else 0

    @property
    def last(self) -> int:
        return self.samples[-1][1] if self.samples else 0


def rss_of(pid: int) -> int:
    return int(psutil.Process(pid).memory_info().rss)


class RssSampler:
    """Samples every ``interval`` seconds until stopped; use as a context manager."""

    def __init__(self, pids: dict[str, int], interval: float = 0.25) -> None:
        self.traces = {name: RssTrace(pid) for name, pid in pids.items()}
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="rss-sampler", daemon=True)
        self._t0 = time.monotonic()

    def _sample(self) -> None:
        now = time.monotonic() - self._t0
        for trace in self.traces.values():
            with contextlib.suppress(psutil.Error):  # the process may just have exited
                trace.samples.append((now, rss_of(trace.pid)))

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            self._sample()

    def __enter__(self) -> RssSampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()
