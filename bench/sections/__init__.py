"""The benchmark's parts, in the order they run."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bench.context import BenchContext
from bench.report import Section
from bench.sections import (
    ingest,
    large,
    load,
    memory,
    otlp,
    peer,
    roundtrips,
    tenants,
    traversal,
)

SectionFn = Callable[[BenchContext], Awaitable[Section]]

# Traversal last: it writes the big graph, which would slow the parts after it.
SECTIONS: dict[str, SectionFn] = {
    "ingest": ingest.run,
    "otlp": otlp.run,
    "roundtrips": roundtrips.run,
    "memory": memory.run,
    "load": load.run,
    "large": large.run,
    "tenants": tenants.run,
    "traversal": traversal.run,
}

# Parts that run only when asked for by their own option, after the --only ones.
PEER = "peer"  # --peer NAME: provgraph beside another backend fed the same OTLP spans
PEERS = ("phoenix",)
OPTIONAL: dict[str, SectionFn] = {PEER: peer.run}
