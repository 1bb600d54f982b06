"""What every benchmark section gets: the engine, the server process, the size, the seed."""

from __future__ import annotations

from dataclasses import dataclass

from bench.harness import Bench, ServerProcess
from bench.sizes import Size


@dataclass
class BenchContext:
    bench: Bench
    server: ServerProcess
    size: Size
    seed: int
