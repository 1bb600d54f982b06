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

from bench.context import DEFAULT_PEER_BATCH, DEFAULT_PEER_SPANS, BenchContext
from bench.harness import open_bench, running_server
from bench.report import Report, Section
from bench.sections import OPTIONAL, PEER, PEERS, SECTIONS
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
        help=f"comma-separated parts to run (default: {','.join(SECTIONS)}; with --peer: "
        "none but the peer part)",
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
    p.add_argument(
        "--peer",
        choices=PEERS,
        help="also run the peer part: the same OTLP spans sent to provgraph and to this system, "
        "side by side (spans/s until queryable, descendants depth 5, CPU, RSS, start-up). "
        "phoenix: Arize Phoenix, installed by the bench into its own virtual environment under "
        "~/.cache/provgraph/bench-peers on first use (a few minutes; never a dependency of "
        "provgraph). Alone unless --only names other parts",
    )
    p.add_argument(
        "--peer-spans",
        type=int,
        default=DEFAULT_PEER_SPANS,
        metavar="N",
        help="spans each side receives in the peer part (default: %(default)s; at 100000 the "
        "whole part takes about 8 minutes on 2 cores, most of it the peer's ingest)",
    )
    p.add_argument(
        "--peer-batch",
        type=int,
        default=DEFAULT_PEER_BATCH,
        metavar="N",
        help="spans per OTLP request in the peer part, whole traces (default: %(default)s, as "
        "the OTel SDK's BatchSpanProcessor exports; 1: one trace per request)",
    )
    return p


def selected_parts(only: str | None, peer: str | None) -> list[str]:
    """The parts to run, in run order: ``--only``'s (all without it, none with ``--peer``),
    then the peer part when ``--peer`` is given. ValueError names unknown parts."""
    if only is None:
        wanted = set() if peer else set(SECTIONS)
    else:
        wanted = {part.strip() for part in only.split(",") if part.strip()}
    unknown = sorted(wanted - set(SECTIONS))
    if unknown:
        raise ValueError(f"unknown part(s) {unknown}; choose from {list(SECTIONS)}")
    parts = [name for name in SECTIONS if name in wanted]  # always in SECTIONS order
    if peer:
        parts.append(PEER)
    if not parts:
        raise ValueError("--only names no part")
    return parts


def machine() -> str:
    mem = psutil.virtual_memory().total / 2**30
    return (
        f"{psutil.cpu_count(logical=True)} cores, {mem:.0f} GiB RAM, "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}"
    )


async def run(
    size: Size,
    only: list[str],
    seed: int,
    command: str,
    engine_name: str | None = None,
    peer: str | None = None,
    peer_spans: int = DEFAULT_PEER_SPANS,
    peer_batch: int = DEFAULT_PEER_BATCH,
) -> Report:
    tenant = f"bench-{uuid.uuid4().hex[:10]}"
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="provgraph-bench-") as tmp:
        async with open_bench(Path(tmp), tenant, size.heap, engine_name) as bench:
            engine_start = time.monotonic() - started
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
            if peer is not None:
                report.meta["peer"] = (
                    f"{peer}, {peer_spans:,} spans each side, up to {peer_batch} per OTLP request"
                )
            async with running_server(bench) as server:
                ctx = BenchContext(
                    bench=bench,
                    server=server,
                    size=size,
                    seed=seed,
                    peer=peer,
                    peer_spans=peer_spans,
                    peer_batch=peer_batch,
                    engine_start_seconds=engine_start,
                )
                for name in only:
                    t0 = time.monotonic()
                    logging.getLogger("bench").info("running %s", name)
                    part = SECTIONS.get(name) or OPTIONAL[name]
                    section: Section = await part(ctx)
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
    try:
        only = selected_parts(args.only, args.peer)
    except ValueError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    if args.peer_spans < 1 or args.peer_batch < 1:
        print("bench: --peer-spans and --peer-batch must be at least 1", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    for noisy in ("neo4j", "httpx", "provgraph"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # SIGTERM ends the run like Ctrl-C: server and engine stopped, temporary data removed.
    signal.signal(signal.SIGTERM, _terminate)
    command = "python -m bench " + shlex.join(sys.argv[1:] if argv is None else list(argv))
    try:
        report = asyncio.run(
            run(
                size,
                only,
                args.seed,
                command.strip(),
                args.engine,
                args.peer,
                args.peer_spans,
                args.peer_batch,
            )
        )
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
