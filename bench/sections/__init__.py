"""The benchmark's parts, in the order they run."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bench.context import BenchContext
from bench.report import Section
from bench.sections import ingest, large, load, memory, otlp, roundtrips, traversal

SectionFn = Callable[[BenchContext], Awaitable[Section]]

# Traversal last: it writes the big graph, which would slow the parts after it.
SECTIONS: dict[str, SectionFn] = {
    "ingest": ingest.run,
    "otlp": otlp.run,
    "roundtrips": roundtrips.run,
    "memory": memory.run,
    "load": load.run,
    "large": large.run,
    "traversal": traversal.run,
}
