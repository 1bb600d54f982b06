"""Large answers: traversals answering ~5,000 nodes, over GraphQL/HTTP against the driver
running the very catalog queries provgraph ran (recorded in-process, as in ``traversal``).

Two shapes, written with the raw driver in runs of their own: a tree (each node influences 5
children, the last level 6; ~4,500 nodes within depth 5) and a layered DAG (5 layers of 990
nodes, each node influenced by 3 nodes of the layer before; ~14,000 edges). Both are walked
towards their effects (descendants of the root) and, from mirrored copies, towards their causes
(ancestors of the sink), at depth 5, with several selections: ids only; ids and edges; the
fields a lineage view draws (``id kind step text distance``). The server's own CPU per request
(psutil, the ``provgraph serve`` process) is reported beside the wall-clock times.
"""

from __future__ import annotations

import itertools
import logging
import random
import time
from dataclasses import dataclass
from typing import Any

import httpx
import psutil

from bench.context import BenchContext
from bench.gql import gql, http_client
from bench.harness import settle_heap
from bench.inprocess import inprocess
from bench.probe import missing, root_fields
from bench.raw import RawWriter
from bench.report import Section, Table, Target
from bench.sections.traversal import replay
from bench.stats import Summary, ratio
from bench.workload import EPOCH_MS, WORDS, WEdge, WNode, WRun
from provgraph.core.domain.vocabulary import EdgeKind

log = logging.getLogger("bench")
DEPTH = 5
TREE_FANOUT = (5, 5, 5, 5, 6)  # children per node at each level: 4,530 nodes below the root
DAG_LAYERS = 5
DAG_WIDTH = 990
DAG_FAN_IN = 3
TARGET = 1.5

SELECTIONS: dict[str, str] = {
    "ids": "nodes { node { nodeId } }",
    "ids+edges": "nodes { node { nodeId } } edges { kind source target }",
    "id kind step text distance": "nodes { node { nodeId kind step text } distance }",
}


def _query(field: str, selection: str) -> str:
    return (
        f"query Large($id: String!, $depth: Int!) {{ {field}(nodeId: $id, depth: $depth) "
        f"{{ {selection} truncated }} }}"
    )


def _text(rng: random.Random) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(12, 36)))


def _run(run_id: str, levels: list[list[str]], links: list[tuple[str, str]]) -> WRun:
    """``levels[k]``: the node ids at step k; ``links``: (cause, effect) pairs."""
    rng = random.Random(run_id)
    nodes = tuple(
        WNode(node_id, "DECISION", step, EPOCH_MS + i, text=_text(rng))
        for step, ids in enumerate(levels)
        for i, node_id in enumerate(ids)
    )
    edges = tuple(WEdge(EdgeKind.INFLUENCED, cause, effect) for cause, effect in links)
    meta = '{"shape": "large"}'
    return WRun(run_id, "agent-planner", EPOCH_MS, EPOCH_MS + 1, meta, nodes, edges)


def tree(run_id: str, *, up: bool) -> tuple[WRun, str]:
    """A tree under one root: each node influences its children (``up``: each node is
    influenced by its children, so the root's ancestors are the tree)."""
    levels: list[list[str]] = [[f"{run_id}-r"]]
    links: list[tuple[str, str]] = []
    for fanout in TREE_FANOUT:
        nxt: list[str] = []
        for parent in levels[-1]:
            for c in range(fanout):
                child = f"{parent}.{c}"
                nxt.append(child)
                links.append((child, parent) if up else (parent, child))
        levels.append(nxt)
    return _run(run_id, levels, links), levels[0][0]


def dag(run_id: str, *, up: bool) -> tuple[WRun, str]:
    """A source influencing the first of ``DAG_LAYERS`` layers, each node of a later layer
    influenced by ``DAG_FAN_IN`` nodes of the layer before (``up``: mirrored, one sink
    influenced by the last layer)."""
    rng = random.Random(f"{run_id}:links")
    origin = f"{run_id}-o"
    layers = [[f"{run_id}-l{k}-{i:04d}" for i in range(DAG_WIDTH)] for k in range(DAG_LAYERS)]
    links = [(origin, n) for n in layers[0]]
    for before, layer in itertools.pairwise(layers):
        for node in layer:
            links.extend((cause, node) for cause in rng.sample(before, DAG_FAN_IN))
    if up:
        links = [(effect, cause) for cause, effect in links]
    return _run(run_id, [[origin], *layers], links), origin


@dataclass
class Shape:
    name: str
    field: str
    origin: str


@dataclass
class Result:
    name: str
    nodes: float
    queries: float
    provgraph: Summary
    driver: Summary
    asgi: Summary
    server_cpu_ms: float
    body_kb: float

    @property
    def ratio(self) -> float | None:
        return ratio(self.provgraph.median, self.driver.median)


async def _timed(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> float:
    t0 = time.perf_counter()
    await gql(client, query, variables)
    return time.perf_counter() - t0


async def run(ctx: BenchContext) -> Section:
    sec = Section("large")
    samples = max(5, ctx.size.samples // 10)
    server = psutil.Process(ctx.server.pid)
    async with http_client(ctx.server.url) as client:
        fields = await root_fields(client)
        writer = RawWriter(ctx.bench.engine, ctx.bench.tenant)
        shapes: list[Shape] = []
        t0 = time.perf_counter()
        for name, build in (("tree", tree), ("layered DAG", dag)):
            for field, up in (("descendants", False), ("ancestors", True)):
                wrun, origin = build(f"large-{name.split()[-1].lower()}-{field[:4]}", up=up)
                await writer.write_run(wrun)
                shapes.append(Shape(name, field, origin))
        sec.data["graph_seconds"] = round(time.perf_counter() - t0, 1)
        results: list[Result] = []
        async with inprocess(ctx.bench) as local:
            settle_heap()
            for shape in shapes:
                reason = missing(fields, shape.field)
                for label, selection in SELECTIONS.items():
                    name = f"{shape.name} {shape.field} d{DEPTH}: {label}"
                    if reason is not None:
                        sec.skip(name, reason)
                        continue
                    log.info("measuring %s", name)
                    query = _query(shape.field, selection)
                    variables = {"id": shape.origin, "depth": DEPTH}
                    pg: list[float] = []
                    raw: list[float] = []
                    asgi: list[float] = []
                    cpu = 0.0
                    queries = 0
                    reached = 0
                    size = 0
                    for i in range(samples + 1):
                        t = time.perf_counter()
                        async with local.recorder.recording() as calls:
                            data = await gql(local.client, query, variables)
                        took = time.perf_counter() - t
                        recorded = list(calls)
                        if i == 0:  # warm-up: caches of both sides, the answer's size
                            reached = len(data[shape.field].get("nodes") or [])
                            body = {"query": query, "variables": variables}
                            size = len((await client.post("/graphql", json=body)).content)
                            continue
                        asgi.append(took)
                        queries += len(recorded)
                        if i % 2 == 0:
                            before = sum(server.cpu_times()[:2])
                            pg.append(await _timed(client, query, variables))
                            cpu += sum(server.cpu_times()[:2]) - before
                            raw.append((await replay(ctx.bench.engine, recorded))[0])
                        else:
                            raw.append((await replay(ctx.bench.engine, recorded))[0])
                            before = sum(server.cpu_times()[:2])
                            pg.append(await _timed(client, query, variables))
                            cpu += sum(server.cpu_times()[:2]) - before
                    results.append(
                        Result(
                            name,
                            reached,
                            queries / samples,
                            Summary.of(pg),
                            Summary.of(raw),
                            Summary.of(asgi),
                            cpu / samples * 1000,
                            size / 1024,
                        )
                    )
    return _report(sec, results, samples)


def _report(sec: Section, results: list[Result], samples: int) -> Section:
    table = Table(
        f"Large answers, depth {DEPTH} (ms, {samples} samples each; provgraph = GraphQL over "
        "HTTP, driver = the same catalog queries in one transaction)",
        [
            "operation",
            "nodes",
            "KB",
            "q/req",
            "srv cpu",
            "asgi med",
            "pg med",
            "pg p95",
            "drv med",
            "drv p95",
            "ratio med",
        ],
    )
    for r in results:
        table.add(
            r.name,
            r.nodes,
            r.body_kb,
            r.queries,
            r.server_cpu_ms,
            r.asgi.median,
            r.provgraph.median,
            r.provgraph.p95,
            r.driver.median,
            r.driver.p95,
            r.ratio,
        )
    sec.tables.append(table)
    sec.data["operations"] = [
        {
            "name": r.name,
            "nodes": r.nodes,
            "body_kb": round(r.body_kb, 1),
            "queries_per_request": round(r.queries, 2),
            "server_cpu_ms": round(r.server_cpu_ms, 1),
            "provgraph_ms": r.provgraph.as_dict(),
            "driver_ms": r.driver.as_dict(),
            "in_process_asgi_ms": r.asgi.as_dict(),
            "ratio_median": r.ratio,
        }
        for r in results
    ]
    measured = [r for r in results if r.ratio is not None]
    if measured:
        worst = max(measured, key=lambda r: r.ratio or 0.0)
        sec.targets.append(
            Target(
                "large answers median ratio (worst operation)",
                "<=",
                TARGET,
                worst.ratio,
                note=f"{worst.name}; {len(measured)} operations measured",
            )
        )
    else:
        reason = sec.not_measured[0][1] if sec.not_measured else "no operation ran"
        sec.targets.append(Target("large answers median ratio", "<=", TARGET, None, reason=reason))
    return sec
