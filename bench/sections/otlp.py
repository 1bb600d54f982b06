"""OTLP vs recordRun: the same runs of the workload sent (a) as OTLP/HTTP protobuf trace
requests to ``/v1/traces`` and (b) as ``recordRun`` over GraphQL, one run per request, in
alternating blocks so both meet the same engine state. Elements per second of the same data
(the workload's run + nodes + edges) and the cost ratio per element; target: OTLP at most 1.5x.

The OTLP bodies are the workload's runs as ``otlpDocument`` writes them (``export/otlp_rules``:
decisions ``chat`` spans, tool calls ``execute_tool`` spans with their results, other nodes
spans, ``triggered`` edges parents, others links), encoded as protobuf as OTel SDK exporters
send them. Both sides' bodies are built before timing: what is measured is the server's path.
"""

from __future__ import annotations

import json
import time
from itertools import islice
from typing import Any

import httpx

from bench.context import BenchContext
from bench.gql import gql, http_client
from bench.payloads import RECORD_RUN, batch_variables
from bench.report import Section, Table, Target
from bench.stats import Summary
from bench.workload import WRun, runs, runs_for_elements
from provgraph.export.otlp_rules import to_otlp
from provgraph.export.records import ExportEdge, ExportNode, ExportRun, Graph
from provgraph.ingest.spans import decode_json

BLOCK = 5
WARMUP_RUNS = 3
TARGET = 1.5
PROTOBUF = {"content-type": "application/x-protobuf"}


def otlp_body(*runs: WRun) -> bytes:
    """The runs as one OTLP protobuf ExportTraceServiceRequest."""
    graph = Graph(
        runs=[
            ExportRun(
                run.id, run.agent_id, "succeeded", run.started_at_ms, run.ended_at_ms, run.metadata
            )
            for run in runs
        ],
        nodes=[
            ExportNode(
                n.id,
                n.kind.lower(),
                run.id,
                n.step,
                n.text,
                n.json,
                n.created_at_ms,
                n.tokens,
                n.cost,
                n.latency_ms,
                n.tool_name,
                n.arguments,
                n.tool_status,
                n.error,
            )
            for run in runs
            for n in run.nodes
        ],
        edges=[ExportEdge(e.kind, e.source, e.target) for run in runs for e in run.edges],
    )
    document = json.dumps(to_otlp(graph).document).encode()
    return decode_json(document).SerializeToString()


async def send_otlp(client: httpx.AsyncClient, body: bytes) -> float:
    t0 = time.perf_counter()
    response = await client.post("/v1/traces", content=body, headers=PROTOBUF)
    elapsed = time.perf_counter() - t0
    if response.status_code != 200:
        raise RuntimeError(f"/v1/traces: HTTP {response.status_code}: {response.text[:300]}")
    return elapsed


async def send_record(client: httpx.AsyncClient, variables: dict[str, Any]) -> float:
    t0 = time.perf_counter()
    await gql(client, RECORD_RUN, variables)
    return time.perf_counter() - t0


async def run(ctx: BenchContext) -> Section:
    sec = Section("otlp")
    seed = ctx.seed
    # A third of ingest's amount: each side writes it once.
    amount = max(2_000, ctx.size.ingest_elements // 3)
    runs_o = list(runs_for_elements(seed, amount, prefix="oo-"))
    runs_g = list(runs_for_elements(seed, amount, prefix="og-"))
    bodies = [otlp_body(r) for r in runs_o]
    variables = [batch_variables(r) for r in runs_g]
    o_lat: list[float] = []
    g_lat: list[float] = []
    o_el = g_el = 0
    async with http_client(ctx.server.url) as client:
        for w in islice(runs(seed + 3, prefix="owo-"), WARMUP_RUNS):
            await send_otlp(client, otlp_body(w))
        for w in islice(runs(seed + 3, prefix="owg-"), WARMUP_RUNS):
            await send_record(client, batch_variables(w))
        for start in range(0, len(runs_o), BLOCK):
            for i in range(start, min(start + BLOCK, len(runs_o))):
                o_lat.append(await send_otlp(client, bodies[i]))
                o_el += runs_o[i].elements
            for i in range(start, min(start + BLOCK, len(runs_g))):
                g_lat.append(await send_record(client, variables[i]))
                g_el += runs_g[i].elements
    o_rate = o_el / sum(o_lat) if o_lat else 0.0
    g_rate = g_el / sum(g_lat) if g_lat else 0.0
    cost = g_rate / o_rate if o_rate else None
    table = Table(
        "OTLP /v1/traces vs recordRun, the same runs (one run per request)",
        ["path", "runs", "elements", "elements/s", "p50 ms", "p95 ms", "body KiB/run"],
    )
    o_sum, g_sum = Summary.of(o_lat), Summary.of(g_lat)
    table.add(
        "OTLP protobuf /v1/traces",
        len(o_lat),
        o_el,
        o_rate,
        o_sum.median,
        o_sum.p95,
        sum(len(b) for b in bodies) / max(1, len(bodies)) / 1024,
    )
    table.add(
        "recordRun GraphQL",
        len(g_lat),
        g_el,
        g_rate,
        g_sum.median,
        g_sum.p95,
        sum(len(json.dumps(v)) for v in variables) / max(1, len(variables)) / 1024,
    )
    sec.tables.append(table)
    sec.data.update(
        otlp_elements_per_second=round(o_rate, 1),
        record_run_elements_per_second=round(g_rate, 1),
        otlp_cost_ratio=round(cost, 3) if cost is not None else None,
    )
    sec.targets.append(
        Target(
            "OTLP cost per element / recordRun's",
            "<=",
            TARGET,
            cost,
            "x",
            note=f"{o_el:,} elements each way",
        )
    )
    return sec
