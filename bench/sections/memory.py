"""Memory: resident memory of the provgraph server and of the engine while ``size.memory_elements``
elements are written through the batch mutation (1M with ``--size large``).

A fresh server process takes the load, so its growth is its own. The baseline is its RSS after a
few warm-up batches (imports, JIT of the GraphQL schema, connection pools); growth is the peak
above that baseline.
"""

from __future__ import annotations

from itertools import islice

from bench.context import BenchContext
from bench.gql import http_client
from bench.harness import running_server
from bench.probe import missing, root_fields
from bench.report import Section, Table, Target
from bench.rss import RssSampler, rss_of
from bench.sections.ingest import record_batched
from bench.workload import runs, runs_for_elements

MB = 1024 * 1024
GROWTH_LIMIT_MB = 200.0
WARMUP_RUNS = 5


async def run(ctx: BenchContext) -> Section:
    sec = Section("memory")
    size = ctx.size
    async with running_server(ctx.bench) as server, http_client(server.url) as client:
        reason = missing(await root_fields(client), "recordRun")
        if reason is not None:
            sec.skip("server and engine RSS during ingest", reason)
            sec.targets.append(
                Target("server RSS growth", "<=", GROWTH_LIMIT_MB, None, " MB", reason)
            )
            return sec
        for w in islice(runs(ctx.seed + 2, prefix="mw-"), WARMUP_RUNS):
            await record_batched(client, w)
        pids = {"server": server.pid}
        if ctx.bench.engine_pid is not None:
            pids["engine"] = ctx.bench.engine_pid
        baseline = {name: rss_of(pid) for name, pid in pids.items()}
        elements = 0
        seconds = 0.0
        with RssSampler(pids) as sampler:
            for r in runs_for_elements(ctx.seed + 3, size.memory_elements, prefix="m-"):
                seconds += await record_batched(client, r)
                elements += r.elements
    table = Table(
        f"Memory while writing {elements:,} elements through recordRun "
        f"({elements / seconds:,.0f} elements/s)",
        ["process", "RSS before MB", "peak MB", "end MB", "growth MB"],
    )
    data: dict[str, object] = {"elements": elements, "seconds": round(seconds, 1)}
    for name, trace in sampler.traces.items():
        growth = (trace.peak - baseline[name]) / MB
        table.add(name, baseline[name] / MB, trace.peak / MB, trace.last / MB, growth)
        data[name] = {
            "rss_before_mb": round(baseline[name] / MB, 1),
            "peak_mb": round(trace.peak / MB, 1),
            "end_mb": round(trace.last / MB, 1),
            "growth_mb": round(growth, 1),
            "samples": len(trace.samples),
        }
    if "engine" not in pids:
        sec.skip("engine RSS", "the engine is an external Neo4j (no process of ours to sample)")
    sec.tables.append(table)
    sec.data.update(data)
    server_trace = sampler.traces["server"]
    note = f"over {elements:,} elements"
    if elements < 1_000_000:
        note += "; the 1M-element run is --size large"
    sec.targets.append(
        Target(
            "server RSS growth",
            "<=",
            GROWTH_LIMIT_MB,
            (server_trace.peak - baseline["server"]) / MB,
            " MB",
            note=note,
        )
    )
    return sec
