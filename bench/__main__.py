"""``python -m bench``: run the benchmark, print the table and the targets, write JSON."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import shlex
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

import psutil

from bench.context import BenchContext
from bench.harness import open_bench, running_server
from bench.report import Report, Section
from bench.sections import SECTIONS
from bench.sizes import Size, parse_size

RESULTS = Path(__file__).resolve().parent / "results"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="provgraph vs the raw engine and vs naive ingestion, printed as ratios.",
    )
    p.add_argument(
        "--size",
        default="default",
        help="small | default | large (1M-element memory run) | a number of traversal-graph "
        "nodes, other amounts scaled from the default (default: %(default)s)",
    )
    p.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated parts to run (default: {','.join(SECTIONS)})",
    )
    p.add_argument(
        "--json", type=Path, help="where to write JSON (default: bench/results/<ts>.json)"
    )
    p.add_argument("--seed", type=int, default=7, help="workload seed (default: %(default)s)")
    p.add_argument(
        "--engine",
        choices=("arcadedb", "neo4j"),
        help="engine started for the run (default: PROVGRAPH_ENGINE, else arcadedb)",
    )
    return p


def machine() -> str:
    mem = psutil.virtual_memory().total / 2**30
    return (
        f"{psutil.cpu_count(logical=True)} cores, {mem:.0f} GiB RAM, "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}"
    )


async def run(
    size: Size, only: list[str], seed: int, command: str, engine_name: str | None = None
) -> Report:
    tenant = f"bench-{uuid.uuid4().hex[:10]}"
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="provgraph-bench-") as tmp:
        async with open_bench(Path(tmp), tenant, size.heap, engine_name) as bench:
            engine = f"{bench.engine.kind} ({bench.engine.server_agent})"
            if bench.engine.embedded is not None:
                engine += f", JVM heap {size.heap}"
            report = Report(
                meta={
                    "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                    "engine": engine,
                    "machine": machine(),
                    "command": command,
                    "size": f"{size.name} ({_describe(size)})",
                    "size_detail": asdict(size),
                    "seed": seed,
                    "load_average_start": _load(),
                }
            )
            async with running_server(bench) as server:
                ctx = BenchContext(bench=bench, server=server, size=size, seed=seed)
                for name in only:
                    t0 = time.monotonic()
                    logging.getLogger("bench").info("running %s", name)
                    section: Section = await SECTIONS[name](ctx)
                    section.data["seconds"] = round(time.monotonic() - t0, 1)
                    report.sections.append(section)
    report.meta["seconds"] = round(time.monotonic() - started, 1)
    report.meta["load_average_end"] = _load()
    return report


def _load() -> str:
    """1/5/15-minute load averages: the machine is shared, so say how busy it was."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _describe(size: Size) -> str:
    return (
        f"ingest {size.ingest_elements:,} elements, naive {size.naive_elements:,}, "
        f"traversal graph {size.graph_nodes:,} nodes x {size.samples} samples, "
        f"round trips at {size.roundtrip_sizes[0]}/{size.roundtrip_sizes[1]} nodes, "
        f"memory {size.memory_elements:,} elements"
    )


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        size = parse_size(args.size)
    except ValueError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    wanted = {part.strip() for part in args.only.split(",") if part.strip()}
    unknown = sorted(wanted - set(SECTIONS))
    only = [name for name in SECTIONS if name in wanted]  # always in SECTIONS order
    if unknown:
        print(f"bench: unknown part(s) {unknown}; choose from {list(SECTIONS)}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    for noisy in ("neo4j", "httpx", "provgraph"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # SIGTERM ends the run like Ctrl-C: server and engine stopped, temporary data removed.
    signal.signal(signal.SIGTERM, _terminate)
    command = "python -m bench " + shlex.join(sys.argv[1:] if argv is None else list(argv))
    try:
        report = asyncio.run(run(size, only, args.seed, command.strip(), args.engine))
    except KeyboardInterrupt:
        print("bench: interrupted; nothing written", file=sys.stderr)
        return 130
    path = args.json or RESULTS / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    report.write_json(path)  # first: the figures survive any trouble printing them
    print(report.render())
    print(f"\nJSON: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
