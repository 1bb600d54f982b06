"""Finding: a filtered ``runs`` page and a tenant-wide ``search``, each side by side with the
raw driver running the same catalog query with the same parameters, on the same engine.

The graph is written with raw-driver UNWIND batches carrying the properties ``recordRun``
stores (run nodes with text and tool names; runs with agent, status, start time, the sort key
and the aggregates recordRun keeps), because this measures reads: writing 100k runs through
100k recordRun requests would only measure ingest again.

    .venv/bin/python -m bench.find_quick --runs 100000 --nodes 1000000 --queries 15

Targets (issue 15): each median <= 3x the raw engine query it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from neo4j import AsyncManagedTransaction

from provgraph.app import create_app
from provgraph.config import Settings
from provgraph.core.store.catalog import default_catalog
from provgraph.engine.connection import Engine, open_engine
from provgraph.runs.repository import LIST_RUNS_DESC, SEARCH_NODES
from provgraph.runs.rules import RunNodeKind

TENANT = "bench-find"
T0 = 1_767_225_600_000
AGENTS = [f"agent-{i}" for i in range(20)]
STATUSES = ["succeeded", "failed", "running", "cancelled"]
TOOLS = ["weather", "search", "shell", "browser", "sql", "email", "calendar", "maps"]
WORDS = [f"w{i}" for i in range(5000)]
RAW_RUNS = (
    "UNWIND $rows AS row CREATE (r:Node:Run {tenant: $tenant, id: row.id}) SET r += row.props"
)
RAW_NODES = {
    kind: f"UNWIND $rows AS row CREATE (n:Node:{kind.label.value} {{tenant: $tenant, id: row.id}}) "
    "SET n += row.props"
    for kind in RunNodeKind
}
RUNS_Q = """query($f: RunFilterInput) { runs(filter: $f, first: 50) {
  totalCount edges { node { runId status startedAt } } } }"""
SEARCH_Q = """query($text: String!) { search(text: $text, first: 20) {
  totalCount edges { node { nodeId kind score } } } }"""


async def write(engine: Engine, text: str, rows: list[dict[str, Any]]) -> None:
    async def work(tx: AsyncManagedTransaction) -> None:
        await (await tx.run(text, tenant=TENANT, rows=rows)).consume()

    async with engine.driver.session(database=engine.database) as s:
        await s.execute_write(work)


async def load(engine: Engine, runs: int, nodes: int, batch: int) -> None:
    rng = random.Random(5)
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    for i in range(runs):
        at = T0 + i * 60_000
        errors = 1 if rng.random() < 0.1 else 0
        rows.append(
            {
                "id": f"run-{i}",
                "props": {
                    "kind": "run",
                    "created_at": at,
                    "started_at": at,
                    "sort_at": at,
                    "agent_id": AGENTS[i % len(AGENTS)],
                    "status": STATUSES[i % len(STATUSES)],
                    "node_count": 0,
                    "edge_count": 0,
                    "labels": [],
                    "meta_kv": [f"model\u001fm{i % 5}"],
                    "metadata": f'{{"model": "m{i % 5}"}}',
                    "tool_names": [TOOLS[i % len(TOOLS)]],
                    "error_count": errors,
                    "tokens_total": 0,
                    "cost_total": 0.0,
                    "latency_total": 0,
                },
            }
        )
        if len(rows) >= batch:
            await write(engine, RAW_RUNS, rows)
            rows = []
    if rows:
        await write(engine, RAW_RUNS, rows)
    print(f"wrote {runs:,} runs in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    kinds = list(RunNodeKind)
    by_kind: dict[RunNodeKind, list[dict[str, Any]]] = {k: [] for k in kinds}
    pending = 0
    for i in range(nodes):
        kind = kinds[i % len(kinds)]
        props: dict[str, Any] = {
            "kind": kind.value,
            "run_id": f"run-{(i // 10) % max(runs, 1)}",
            "step": i % 10,
            "created_at": T0,
            "text": " ".join(rng.choice(WORDS) for _ in range(12)),
        }
        if kind is RunNodeKind.TOOL_CALL:
            props["tool_name"] = TOOLS[i % len(TOOLS)]
            props["arguments"] = '{"q": "' + rng.choice(WORDS) + '"}'
        by_kind[kind].append({"id": f"n-{i}", "props": props})
        pending += 1
        if pending >= batch:
            for k, krows in by_kind.items():
                if krows:
                    await write(engine, RAW_NODES[k], krows)
            by_kind = {k: [] for k in kinds}
            pending = 0
            if i % 100_000 < batch:
                print(f"  {i + 1:,} nodes", flush=True)
    for k, krows in by_kind.items():
        if krows:
            await write(engine, RAW_NODES[k], krows)
    print(f"wrote {nodes:,} nodes in {time.perf_counter() - started:.1f} s", flush=True)


async def raw_read(engine: Engine, name: str, params: dict[str, Any]) -> float:
    text = default_catalog()[name].text

    async def work(tx: AsyncManagedTransaction) -> int:
        rows = await (await tx.run(text, {**params, "tenant": TENANT})).fetch(10**9)
        return len(rows)

    t0 = time.perf_counter()
    async with engine.driver.session(database=engine.database) as s:
        await s.execute_read(work)
    return time.perf_counter() - t0


async def graphql(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> float:
    t0 = time.perf_counter()
    body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
    elapsed = time.perf_counter() - t0
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return elapsed


Case = tuple[Callable[[], Awaitable[float]], Callable[[], Awaitable[float]]]


async def compare(label: str, cases: list[Case]) -> None:
    """Interleaved, so load from elsewhere on the machine hits both sides alike."""
    await cases[0][0]()
    await cases[0][1]()
    gql_t: list[float] = []
    raw_t: list[float] = []
    for k, (gql_call, raw_call) in enumerate(cases):
        if k % 2:
            raw_t.append(await raw_call())
            gql_t.append(await gql_call())
        else:
            gql_t.append(await gql_call())
            raw_t.append(await raw_call())
    g, r = statistics.median(gql_t), statistics.median(raw_t)
    print(
        f"{label}: GraphQL median {g * 1000:.1f} ms, raw driver median {r * 1000:.1f} ms, "
        f"ratio {g / r:.2f}x (target <= 3) over {len(cases)} queries",
        flush=True,
    )


async def main(args: argparse.Namespace) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="provgraph-bench-find-"))
    settings = Settings(data_dir=data_dir, embedded_heap=args.heap, query_timeout=600)
    engine = await open_engine(settings)
    try:
        app = create_app(settings.model_copy(update={"dev_tenant": TENANT}), engine=engine)
        async with app.router.lifespan_context(app):
            await load(engine, args.runs, args.nodes, args.batch)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://bench", timeout=600
            ) as client:
                rng = random.Random(3)
                run_cases: list[Case] = []
                for _ in range(args.queries):
                    agent = rng.choice(AGENTS)
                    tool = rng.choice(TOOLS)
                    f = {"agentId": agent, "hasError": True, "toolName": tool}
                    run_params: dict[str, Any] = {
                        "agent_id": agent,
                        "statuses": [],
                        "started_after": None,
                        "started_before": None,
                        "ended_after": None,
                        "ended_before": None,
                        "label": None,
                        "meta_kv": None,
                        "tool_name": tool,
                        "has_error": True,
                        "session_id": None,
                        "after_at": None,
                        "after_id": None,
                        "limit": 51,
                    }
                    run_cases.append(
                        (
                            partial(graphql, client, RUNS_Q, {"f": f}),
                            partial(raw_read, engine, LIST_RUNS_DESC, run_params),
                        )
                    )
                await compare(f"runs page (3 filters) over {args.runs:,} runs", run_cases)
                search_cases: list[Case] = []
                kinds = sorted([k.value for k in RunNodeKind] + ["run"])
                for _ in range(args.queries):
                    words = [rng.choice(WORDS), rng.choice(WORDS)]
                    params: dict[str, Any] = {
                        "terms": words,
                        "kinds": kinds,
                        "after_score": None,
                        "after_id": None,
                        "limit": 21,
                    }
                    search_cases.append(
                        (
                            partial(graphql, client, SEARCH_Q, {"text": " ".join(words)}),
                            partial(raw_read, engine, SEARCH_NODES, params),
                        )
                    )
                await compare(
                    f"search (2 words) over {args.nodes:,} nodes + {args.runs:,} runs",
                    search_cases,
                )
    finally:
        await engine.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=15)
    parser.add_argument("--heap", default="4g")
    asyncio.run(main(parser.parse_args()))
