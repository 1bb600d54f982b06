"""What every benchmark section gets: the engine, the server process, the size, the seed."""

from __future__ import annotations

from dataclasses import dataclass

from bench.harness import Bench, ServerProcess
from bench.sizes import Size

DEFAULT_PEER_SPANS = 100_000
# Spans per OTLP request: the OTel SDK BatchSpanProcessor's max_export_batch_size.
DEFAULT_PEER_BATCH = 512


@dataclass
class BenchContext:
    bench: Bench
    server: ServerProcess
    size: Size
    seed: int
    # --peer: the system the peer part compares with, how many spans each side receives, and
    # at most how many in one OTLP request.
    peer: str | None = None
    peer_spans: int = DEFAULT_PEER_SPANS
    peer_batch: int = DEFAULT_PEER_BATCH
    # Seconds the engine took to start (or connect) and take the schema, as provgraph starts.
    engine_start_seconds: float | None = None
