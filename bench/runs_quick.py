"""Quick check of the run area's two speed targets, in one process (the full harness is
``python -m bench``).

1. Recording: recordRun (GraphQL through the ASGI app, in process) vs the same nodes and edges
   written with raw-driver UNWIND batches, on the same engine. Target: >= 0.8x throughput.
2. Ancestors at depth 5 on the recorded graph: GraphQL median vs the same level queries
   (runs/expand_causes, one per breadth-first level) through the raw driver. Target: <= 1.5x.

    .venv/bin/python -m bench.runs_quick --nodes 100000 --batch 5000 --queries 300
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
from neo4j import AsyncManagedTransaction

from provgraph.app import create_app
from provgraph.config import Settings
from provgraph.core.domain.vocabulary import CAUSAL_REL_TYPES
from provgraph.core.store.catalog import default_catalog
from provgraph.engine.connection import Engine, open_engine
from provgraph.runs.repository import EXPAND_CAUSES
from provgraph.runs.rules import RunNodeKind

KINDS = [k.name for k in RunNodeKind]
# What provgraph's ancestors follow (RunService passes the same list).
CAUSAL_TYPES: tuple[str, ...] = tuple(t.value for t in CAUSAL_REL_TYPES)
RECORD = """mutation($input: RecordRunInput!) { recordRun(input: $input) {
  nodesCreated edgesCreated changed } }"""
ANCESTORS_Q = """query($id: String!) { ancestors(nodeId: $id, depth: 5) {
  nodes { node { id kind step } distance } edges { kind source target }
  depth requestedDepth truncated } }"""

RAW_NODES = {
    kind: f"UNWIND $rows AS row CREATE (n:Node:{kind.label.value} {{tenant: $tenant, id: row.id}}) "
    "SET n += row.props"
    for kind in RunNodeKind
}
RAW_EDGES = (
    "UNWIND $rows AS row MATCH (a:Node {tenant: $tenant, id: row.effect}) "
    "MATCH (b:Node {tenant: $tenant, id: row.cause}) CREATE (a)-[:WAS_INFLUENCED_BY]->(b)"
)


def make_graph(n: int, seed: int = 7) -> tuple[list[dict[str, Any]], list[tuple[int, int]]]:
    """n nodes, ~2n edges: node i has two causes among the 1000 nodes before it."""
    rng = random.Random(seed)
    nodes = [
        {"i": i, "kind": KINDS[i % len(KINDS)], "step": i // 10, "text": f"content of node {i}"}
        for i in range(n)
    ]
    edges: list[tuple[int, int]] = []
    for i in range(1, n):
        for j in {rng.randrange(max(0, i - 1000), i) for _ in range(2)}:
            edges.append((i, j))  # (effect, cause)
    while len(edges) < 2 * n - 2:  # top up duplicates dropped by the set
        i = rng.randrange(2, n)
        j = rng.randrange(max(0, i - 1000), i)
        if (i, j) not in edges[-50:]:
            edges.append((i, j))
    return nodes, sorted(set(edges))


def batches(
    nodes: list[dict[str, Any]], edges: list[tuple[int, int]], size: int
) -> list[tuple[list[dict[str, Any]], list[tuple[int, int]]]]:
    by_effect: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for e in edges:
        by_effect[e[0]].append(e)
    out = []
    for start in range(0, len(nodes), size):
        chunk = nodes[start : start + size]
        out.append((chunk, [e for n in chunk for e in by_effect[n["i"]]]))
    return out


async def raw_ingest(engine: Engine, tenant: str, run: str, plan: list[Any]) -> float:
    kinds = {k.name: k for k in RunNodeKind}
    started = time.perf_counter()
    for chunk, chunk_edges in plan:
        by_kind: dict[RunNodeKind, list[dict[str, Any]]] = defaultdict(list)
        for n in chunk:
            kind = kinds[n["kind"]]
            props = {
                "kind": kind.value,
                "run_id": run,
                "step": n["step"],
                "text": n["text"],
                "created_at": 0,
            }
            by_kind[kind].append({"id": f"{run}:{n['i']}", "props": props})
        rows = [{"effect": f"{run}:{e}", "cause": f"{run}:{c}"} for e, c in chunk_edges]

        async def work(
            tx: AsyncManagedTransaction,
            by_kind: dict[RunNodeKind, list[dict[str, Any]]] = by_kind,
            rows: list[dict[str, str]] = rows,
        ) -> None:
            for kind, krows in by_kind.items():
                await (await tx.run(RAW_NODES[kind], tenant=tenant, rows=krows)).consume()
            await (await tx.run(RAW_EDGES, tenant=tenant, rows=rows)).consume()

        async with engine.driver.session(database=engine.database) as s:
            await s.execute_write(work)
    return time.perf_counter() - started


async def graphql_ingest(client: httpx.AsyncClient, run: str, plan: list[Any]) -> float:
    started = time.perf_counter()
    for chunk, chunk_edges in plan:
        batch = {
            "run": {"id": run},
            "nodes": [
                {"id": f"{run}:{n['i']}", "kind": n["kind"], "step": n["step"], "text": n["text"]}
                for n in chunk
            ],
            "edges": [
                {"kind": "INFLUENCED", "source": f"{run}:{c}", "target": f"{run}:{e}"}
                for e, c in chunk_edges
            ],
        }
        body = (
            await client.post("/graphql", json={"query": RECORD, "variables": {"input": batch}})
        ).json()
        if body.get("errors"):
            raise RuntimeError(body["errors"])
    return time.perf_counter() - started


async def raw_ancestors(engine: Engine, tenant: str, ids: list[str]) -> list[float]:
    """Depth-5 ancestors with the catalog's breadth-first step, level by level, as provgraph
    runs it, through the raw driver in one read transaction."""
    text = default_catalog()[EXPAND_CAUSES].text
    types = list(CAUSAL_TYPES)
    times = []
    for nid in ids:

        async def work(tx: AsyncManagedTransaction, nid: str = nid) -> int:
            seen, frontier = {nid}, [nid]
            for _ in range(5):
                params = {"tenant": tenant, "ids": frontier, "types": types}
                rows = [r.data() for r in await (await tx.run(text, params)).fetch(10**9)]
                # One row per frontier node, its edges' far ends in ``reached``.
                reached = (m["id"] for r in rows for m in r["reached"])
                frontier = list(dict.fromkeys(i for i in reached if i not in seen))
                seen.update(frontier)
                if not frontier:
                    break
            return len(seen)

        t0 = time.perf_counter()
        async with engine.driver.session(database=engine.database) as s:
            await s.execute_read(work)
        times.append(time.perf_counter() - t0)
    return times


async def graphql_ancestors(client: httpx.AsyncClient, ids: list[str]) -> list[float]:
    times = []
    for nid in ids:
        t0 = time.perf_counter()
        body = (
            await client.post("/graphql", json={"query": ANCESTORS_Q, "variables": {"id": nid}})
        ).json()
        times.append(time.perf_counter() - t0)
        if body.get("errors"):
            raise RuntimeError(body["errors"])
    return times


async def main(args: argparse.Namespace) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="provgraph-bench-"))
    settings = Settings(data_dir=data_dir, embedded_heap=args.heap)
    engine = await open_engine(settings)
    try:
        tenant_raw, tenant_gql = "bench-raw", "bench-gql"
        app = create_app(settings.model_copy(update={"dev_tenant": tenant_gql}), engine=engine)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://127.0.0.1", timeout=600
            ) as client:
                nodes, edges = make_graph(args.nodes)
                plan = batches(nodes, edges, args.batch)
                warm_nodes, warm_edges = make_graph(2000, seed=1)
                warm = batches(warm_nodes, warm_edges, 1000)
                await raw_ingest(engine, tenant_raw, "warm", warm)
                await graphql_ingest(client, "warm", warm)
                print(f"graph: {len(nodes)} nodes, {len(edges)} edges, batches of {args.batch}")
                raw_s = await raw_ingest(engine, tenant_raw, "r", plan)
                gql_s = await graphql_ingest(client, "g", plan)
                items = len(nodes) + len(edges)
                print(f"ingest raw UNWIND: {raw_s:.1f} s ({items / raw_s:,.0f} items/s)")
                print(f"ingest recordRun : {gql_s:.1f} s ({items / gql_s:,.0f} items/s)")
                print(
                    f"ingest throughput ratio recordRun/raw: {raw_s / gql_s:.2f}x (target >= 0.8)"
                )
                rng = random.Random(11)
                picks = [rng.randrange(args.nodes // 2, args.nodes) for _ in range(args.queries)]
                await raw_ancestors(engine, tenant_raw, [f"r:{i}" for i in picks[:20]])
                await graphql_ancestors(client, [f"g:{i}" for i in picks[:20]])
                # Interleaved, so load from elsewhere on the machine hits both sides alike.
                raw_t: list[float] = []
                gql_t: list[float] = []
                for k, i in enumerate(picks):
                    if k % 2:
                        raw_t += await raw_ancestors(engine, tenant_raw, [f"r:{i}"])
                        gql_t += await graphql_ancestors(client, [f"g:{i}"])
                    else:
                        gql_t += await graphql_ancestors(client, [f"g:{i}"])
                        raw_t += await raw_ancestors(engine, tenant_raw, [f"r:{i}"])
                raw_med, gql_med = statistics.median(raw_t), statistics.median(gql_t)
                print(
                    f"ancestors d5 raw driver: median {raw_med * 1000:.2f} ms, "
                    f"p99 {statistics.quantiles(raw_t, n=100)[98] * 1000:.2f} ms"
                )
                print(
                    f"ancestors d5 GraphQL   : median {gql_med * 1000:.2f} ms, "
                    f"p99 {statistics.quantiles(gql_t, n=100)[98] * 1000:.2f} ms"
                )
                ratio = gql_med / raw_med
                print(f"ancestors median ratio GraphQL/raw: {ratio:.2f}x (target <= 1.5)")
    finally:
        await engine.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--heap", default="2g")
    asyncio.run(main(parser.parse_args()))
