"""Load: 50 clients at once, each mixing run batches (50-200 elements) and depth-5 ancestors
queries against one served provgraph (issue 10 item 8). Reports recordRun and ancestors
latencies (median, p95, p99) and every error by code; the targets are a recordRun p99 under
2 s and no error at all.

Bounded: each client sends a fixed number of operations (no open-ended loop), all to the
server on loopback.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

from bench.context import BenchContext
from bench.gql import http_client
from bench.payloads import RECORD_RUN, batch_variables
from bench.report import Section, Table, Target
from bench.stats import Summary
from bench.workload import WRun, make_run

CLIENTS = 50
ANCESTORS = """
query LoadAncestors($id: String!) {
  ancestors(nodeId: $id, depth: 5) { nodes { node { nodeId kind } distance } truncated }
}
"""
MIN_ELEMENTS, MAX_ELEMENTS = 50, 200


@dataclass
class Outcome:
    record: list[float] = field(default_factory=list)
    ancestors: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)


def _batches(seed: int, count: int, prefix: str) -> list[WRun]:
    """Runs of 50-200 elements, as an agent framework sends them after each step."""
    out: list[WRun] = []
    index = 0
    while len(out) < count:
        run = make_run(seed, index, prefix)
        index += 1
        if MIN_ELEMENTS <= run.elements <= MAX_ELEMENTS:
            out.append(run)
    return out


async def _post(client: httpx.AsyncClient, query: str, variables: dict[str, object]) -> str | None:
    """None when the answer has data and no error, else the error code."""
    try:
        response = await client.post("/graphql", json={"query": query, "variables": variables})
    except httpx.HTTPError as exc:
        return f"transport:{type(exc).__name__}"
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    body = response.json()
    if body.get("errors"):
        return str(body["errors"][0].get("extensions", {}).get("code", "UNKNOWN"))
    return None


async def _client(
    url: str, ops: int, mine: list[WRun], rng: random.Random, outcome: Outcome, recorded: list[str]
) -> None:
    async with http_client(url) as client:
        for _ in range(ops):
            if mine and (not recorded or rng.random() < 0.5):
                run = mine.pop()
                t0 = time.perf_counter()
                error = await _post(client, RECORD_RUN, batch_variables(run))
                outcome.record.append(time.perf_counter() - t0)
                if error is None:
                    recorded.extend(n.id for n in run.nodes[-3:])
            else:
                node = rng.choice(recorded)
                t0 = time.perf_counter()
                error = await _post(client, ANCESTORS, {"id": node})
                outcome.ancestors.append(time.perf_counter() - t0)
            if error is not None:
                outcome.errors[error] += 1


async def run(ctx: BenchContext) -> Section:
    sec = Section("load")
    ops = 20 if ctx.size.name != "small" else 8
    batches = _batches(ctx.seed, CLIENTS * ops, prefix=f"load{ctx.seed}-")
    outcome = Outcome()
    recorded: list[str] = []
    # A few runs first, so the first ancestors queries have somewhere to start.
    async with http_client(ctx.server.url) as client:
        for warm in [batches.pop() for _ in range(5)]:
            if await _post(client, RECORD_RUN, batch_variables(warm)) is None:
                recorded.extend(n.id for n in warm.nodes[-3:])
    per_client = [batches[i::CLIENTS] for i in range(CLIENTS)]
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _client(ctx.server.url, ops, per_client[i], random.Random(i), outcome, recorded)
            for i in range(CLIENTS)
        )
    )
    wall = time.perf_counter() - started
    table = Table(
        f"Load: {CLIENTS} clients x {ops} operations, batches of {MIN_ELEMENTS}-{MAX_ELEMENTS} "
        f"elements and depth-5 ancestors, {wall:.1f} s (ms)",
        ["operation", "count", "median", "p95", "p99"],
    )
    summaries = {}
    for name, samples in (("recordRun", outcome.record), ("ancestors d5", outcome.ancestors)):
        if samples:
            s = summaries[name] = Summary.of(samples)
            table.add(name, s.samples, s.median, s.p95, s.p99)
    sec.tables.append(table)
    errors = sum(outcome.errors.values())
    if outcome.errors:
        sec.notes.append(
            "errors by code: " + ", ".join(f"{k} {v}" for k, v in outcome.errors.items())
        )
    record = summaries.get("recordRun")
    sec.targets.append(
        Target(
            "load recordRun p99",
            "<=",
            2000.0,
            record.p99 if record else None,
            " ms",
            reason="no recordRun measured",
            note=f"{CLIENTS} clients, mixed with ancestors",
        )
    )
    sec.targets.append(
        Target(
            "load errors",
            "<=",
            0.0,
            float(errors),
            note=f"of {len(outcome.record) + len(outcome.ancestors)} operations",
        )
    )
    sec.data = {
        "clients": CLIENTS,
        "ops_per_client": ops,
        "wall_seconds": round(wall, 2),
        "latency_ms": {k: v.as_dict() for k, v in summaries.items()},
        "errors": dict(outcome.errors),
    }
    return sec
