"""Ingest: (a) provgraph's batch mutation over HTTP, (b) raw-driver UNWIND batches of the same
data, (c) one GraphQL mutation per node or edge, (d) provgraph's run service in this process
(the same write as (a) without HTTP and GraphQL). Elements per second and the ratios a/b, a/c,
d/b.

(a), (d) and (b) write the same runs (ids differ by prefix) in alternating blocks, so all meet
the same engine state; each writes one run per transaction. Timings start from the workload's run
objects: building the request (a, c) or the rows and hashes (b) is part of the work measured.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any

import httpx
import psutil

from bench.context import BenchContext
from bench.gql import gql, http_client
from bench.inprocess import Call, inprocess
from bench.payloads import RECORD_RUN, batch_variables, naive_variables
from bench.probe import missing, root_fields
from bench.raw import RawBatch, RawWriter, domain_batch
from bench.report import Section, Table, Target
from bench.sections.otlp import otlp_body, send_otlp
from bench.stats import Summary, ratio
from bench.workload import WRun, make_run, runs, runs_for_elements
from provgraph.core.store import audit
from provgraph.core.store.catalog import default_catalog
from provgraph.runs.repository import RunRepository
from provgraph.runs.service import RunService

BLOCK = 5  # runs per alternation block
WARMUP_RUNS = 3
WRITERS = (1, 4)  # concurrent writers measured on both paths
# The raw engine's ingest by statement shape and runs per transaction (each with WRITERS):
# (one statement for the transaction, runs per transaction).
RAW_SHAPES = ((False, 1), (True, 1), (False, 10), (True, 10))
OTLP_RUNS = 10  # runs per recordRuns or OTLP request in the concurrent-writer table
CloseFn = Callable[[], Awaitable[None]]
RECORD_RUNS = """mutation RecordRuns($input: [RecordRunInput!]!) {
  recordRuns(input: $input) { nodesCreated }
}"""


@dataclass
class Rate:
    elements: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.elements / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "elements": self.elements,
            "seconds": round(self.seconds, 3),
            "elements_per_second": round(self.per_second, 1),
            "requests": len(self.latencies),
            "request_latency_ms": Summary.of(self.latencies).as_dict() if self.latencies else None,
        }


async def record_batched(client: httpx.AsyncClient, run: WRun) -> float:
    t0 = time.perf_counter()
    data = await gql(client, RECORD_RUN, batch_variables(run))
    elapsed = time.perf_counter() - t0
    got = data["recordRun"]
    if got["nodesCreated"] != len(run.nodes):
        raise RuntimeError(f"recordRun created {got['nodesCreated']} of {len(run.nodes)} nodes")
    return elapsed


async def record_naive(client: httpx.AsyncClient, run: WRun) -> list[float]:
    latencies = []
    for variables in naive_variables(run):
        t0 = time.perf_counter()
        await gql(client, RECORD_RUN, variables)
        latencies.append(time.perf_counter() - t0)
    return latencies


async def record_in_process(service: RunService, tenant: str, run: WRun) -> float:
    """The service's write of one run, as the mutation makes it (audited), in this process."""
    t0 = time.perf_counter()
    batch = domain_batch(run)
    with audit.scope(
        key_id=None, action="recordRun", operation="bench", correlation_id="bench", args={}
    ):
        result = await service.record(tenant, batch)
    elapsed = time.perf_counter() - t0
    if result.nodes_created != len(run.nodes):
        raise RuntimeError(f"the service created {result.nodes_created} of {len(run.nodes)}")
    return elapsed


async def _block(rate: Rate, block: list[WRun], write: Callable[[WRun], Awaitable[float]]) -> None:
    """``block``'s runs written one after the other, each one's time and elements in ``rate``."""
    for r in block:
        rate.latencies.append(await write(r))
        rate.elements += r.elements


async def run(ctx: BenchContext) -> Section:
    sec = Section("ingest")
    size, seed = ctx.size, ctx.seed
    writer = RawWriter(ctx.bench.engine, ctx.bench.tenant)
    async with http_client(ctx.server.url) as client:
        reason = missing(await root_fields(client), "recordRun")
        runs_a = list(runs_for_elements(seed, size.ingest_elements, prefix="ia-"))
        runs_b = list(runs_for_elements(seed, size.ingest_elements, prefix="ib-"))
        runs_c = list(runs_for_elements(seed, size.naive_elements, prefix="ic-"))
        runs_d = list(runs_for_elements(seed, size.ingest_elements, prefix="id-"))
        service = RunService(RunRepository(await ctx.bench.executor()), ctx.bench.settings)
        # Warm-up: the first requests pay for connections, JIT and caches on both paths.
        for w in islice(runs(seed + 1, prefix="iwb-"), WARMUP_RUNS):
            await writer.write_run(w)
        for w in islice(runs(seed + 1, prefix="iwd-"), WARMUP_RUNS):
            await record_in_process(service, ctx.bench.tenant, w)
        if reason is None:
            for w in islice(runs(seed + 1, prefix="iwa-"), WARMUP_RUNS):
                await record_batched(client, w)
        server = psutil.Process(ctx.server.pid)
        a = Rate(0, 0.0, [])
        b = Rate(0, 0.0, [])
        d = Rate(0, 0.0, [])
        server_cpu = 0.0
        for start in range(0, len(runs_b), BLOCK):
            end = start + BLOCK
            if reason is None:
                cpu_before = sum(server.cpu_times()[:2])  # user + system, (a)'s block only
                await _block(a, runs_a[start:end], lambda r: record_batched(client, r))
                server_cpu += sum(server.cpu_times()[:2]) - cpu_before
            await _block(
                d, runs_d[start:end], lambda r: record_in_process(service, ctx.bench.tenant, r)
            )
            await _block(b, runs_b[start:end], writer.write_run)
        a.seconds, b.seconds, d.seconds = sum(a.latencies), sum(b.latencies), sum(d.latencies)
        if a.latencies:
            per_batch = server_cpu / len(a.latencies) * 1000
            sec.data["server_cpu_ms_per_batch"] = round(per_batch, 1)
            sec.notes.append(
                f"the provgraph server process used {per_batch:.0f} ms of CPU per recordRun batch "
                f"({server_cpu / a.seconds * 100:.0f}% of (a)'s wall time): HTTP, GraphQL input "
                "coercion, validation and hashing, outside the engine"
            )
        concurrent: list[tuple[str, int, float]] = []
        for writers in WRITERS:
            batch = list(runs_for_elements(seed + 50 + writers, size.ingest_elements // 2))
            if reason is None:
                eps = await _writers(writers, batch, "pa", lambda: _HttpWriter(ctx.server.url))
                concurrent.append(("provgraph recordRun", writers, eps))
                eps = await _many_writers(writers, batch, ctx.server.url)
                concurrent.append((f"provgraph recordRuns, {OTLP_RUNS} runs/request", writers, eps))
                eps = await _otlp_writers(writers, batch, ctx.server.url)
                concurrent.append((f"provgraph OTLP, {OTLP_RUNS} runs/request", writers, eps))
            eps = await _writers(writers, batch, "pb", lambda: _RawRunWriter(writer))
            concurrent.append(("raw driver", writers, eps))
        shapes = await _raw_shapes(
            writer, list(runs_for_elements(seed + 70, size.ingest_elements // 2))
        )
        c = Rate(0, 0.0, [])
        if reason is None:
            for r in runs_c:
                c.latencies += await record_naive(client, r)
                c.elements += r.elements
            c.seconds = sum(c.latencies)
    if reason is None:
        await _explain(ctx, sec)
    _report_writers(sec, concurrent)
    _report_shapes(sec, shapes, concurrent)
    return _report(sec, a, b, c, d, reason)


class _HttpWriter:
    def __init__(self, url: str) -> None:
        self.client = http_client(url)

    async def write(self, run: WRun) -> None:
        await record_batched(self.client, run)

    async def close(self) -> None:
        await self.client.aclose()


class _RawRunWriter:
    def __init__(self, writer: RawWriter) -> None:
        self.writer = writer

    async def write(self, run: WRun) -> None:
        await self.writer.write_run(run)

    async def close(self) -> None:
        return None


async def _writers(
    n: int, batch: list[WRun], prefix: str, make: Callable[[], _HttpWriter | _RawRunWriter]
) -> float:
    """Elements per second with ``n`` writers at once (each its own connection), one run per
    request or transaction, the runs dealt round robin."""
    runs_ = [_prefixed(r, f"{prefix}{n}-") for r in batch]
    writers = [make() for _ in range(n)]

    async def work(w: _HttpWriter | _RawRunWriter, mine: list[WRun]) -> None:
        for r in mine:
            await w.write(r)

    jobs = [work(w, runs_[i::n]) for i, w in enumerate(writers)]
    return await _rate(runs_, jobs, [w.close for w in writers])


async def _rate(
    runs_: list[WRun], jobs: list[Coroutine[Any, Any, None]], closers: list[CloseFn]
) -> float:
    """Elements per second of ``runs_`` written by ``jobs`` (one per writer) at once; each
    writer's connection closed after."""
    t0 = time.perf_counter()
    try:
        await asyncio.gather(*jobs)
    finally:
        for close in closers:
            await close()
    return sum(r.elements for r in runs_) / (time.perf_counter() - t0)


async def _many_writers(n: int, batch: list[WRun], url: str) -> float:
    """Elements per second with ``n`` writers sending recordRuns requests of OTLP_RUNS runs
    each (the variables built while timing, as for recordRun)."""
    runs_ = [_prefixed(r, f"pm{n}-") for r in batch]
    clients = [http_client(url) for _ in range(n)]

    async def work(client: httpx.AsyncClient, mine: list[WRun]) -> None:
        for k in range(0, len(mine), OTLP_RUNS):
            group = mine[k : k + OTLP_RUNS]
            inputs = [batch_variables(r)["input"] for r in group]
            data = await gql(client, RECORD_RUNS, {"input": inputs})
            created = sum(p["nodesCreated"] for p in data["recordRuns"])
            if created != sum(len(r.nodes) for r in group):
                raise RuntimeError(f"recordRuns created {created} nodes of {len(group)} runs")

    jobs = [work(c, runs_[i::n]) for i, c in enumerate(clients)]
    return await _rate(runs_, jobs, [c.aclose for c in clients])


async def _otlp_writers(n: int, batch: list[WRun], url: str) -> float:
    """Elements per second with ``n`` writers sending OTLP requests of OTLP_RUNS runs each (the
    protobuf bodies built before timing, as in the otlp section)."""
    runs_ = [_prefixed(r, f"po{n}-") for r in batch]
    bodies = [
        [otlp_body(*mine[k : k + OTLP_RUNS]) for k in range(0, len(mine), OTLP_RUNS)]
        for mine in (runs_[i::n] for i in range(n))
    ]
    clients = [http_client(url) for _ in range(n)]

    async def work(client: httpx.AsyncClient, mine: list[bytes]) -> None:
        for body in mine:
            await send_otlp(client, body)

    jobs = [work(c, b) for c, b in zip(clients, bodies, strict=True)]
    return await _rate(runs_, jobs, [c.aclose for c in clients])


Shape = tuple[bool, int, int, float]  # one statement, runs per transaction, writers, elements/s


async def _raw_shapes(writer: RawWriter, batch: list[WRun]) -> list[Shape]:
    """The raw engine's elements/s for each statement shape, runs per transaction and number
    of writers (each its own session), on the same runs under fresh ids."""
    out: list[Shape] = []
    for one, per_tx in RAW_SHAPES:
        for n in WRITERS:
            runs_ = [_prefixed(r, f"rs{int(one)}-{per_tx}-{n}-") for r in batch]
            mine = [runs_[i::n] for i in range(n)]

            async def work(runs_of_writer: list[WRun], one: bool = one, per: int = per_tx) -> None:
                for k in range(0, len(runs_of_writer), per):
                    await writer.write_runs(runs_of_writer[k : k + per], one_statement=one)

            t0 = time.perf_counter()
            await asyncio.gather(*(work(m) for m in mine))
            out.append(
                (one, per_tx, n, sum(r.elements for r in runs_) / (time.perf_counter() - t0))
            )
    return out


def _report_shapes(
    sec: Section, shapes: list[Shape], concurrent: list[tuple[str, int, float]]
) -> None:
    table = Table(
        "Raw engine ingest by statement shape, runs per transaction and writers (elements/s)",
        ["statements per transaction", "runs/tx", "writers", "elements/s"],
    )
    for one, per_tx, n, eps in shapes:
        table.add("one for all" if one else "one per label and type", per_tx, n, eps)
    sec.tables.append(table)
    sec.data["raw_shapes"] = [
        {
            "one_statement": one,
            "runs_per_transaction": per,
            "writers": n,
            "elements_per_second": round(eps, 1),
        }
        for one, per, n, eps in shapes
    ]
    best = max(shapes, key=lambda s: s[3])
    ours = [(eps, label, n) for label, n, eps in concurrent if label.startswith("provgraph")]
    if ours:
        shape = "one statement" if best[0] else "a statement per label and type"
        eps, label, n = max(ours)
        sec.data["raw_best_elements_per_second"] = round(best[3], 1)
        sec.data["provgraph_best_of_raw_best"] = round(eps / best[3], 2)
        sec.notes.append(
            f"the raw engine's best here: {best[3]:,.0f} elements/s ({shape}, {best[1]} run(s) "
            f"per transaction, {best[2]} writer(s)); provgraph's best: {eps:,.0f} elements/s "
            f"({label}, {n} writer(s)), {eps / best[3]:.2f} of it"
        )


def _prefixed(run: WRun, prefix: str) -> WRun:
    """The same run under other ids (every writer writes new nodes)."""
    ids = {n.id: prefix + n.id for n in run.nodes}
    return replace(
        run,
        id=prefix + run.id,
        nodes=tuple(replace(n, id=ids[n.id]) for n in run.nodes),
        edges=tuple(
            replace(e, source=ids.get(e.source, e.source), target=ids.get(e.target, e.target))
            for e in run.edges
        ),
    )


def _report_writers(sec: Section, rows: list[tuple[str, int, float]]) -> None:
    table = Table(
        "Ingest with concurrent writers (elements/s; each writer its own connection, one run "
        "per request or transaction)",
        ["path", "writers", "elements/s"],
    )
    for label, n, eps in rows:
        table.add(label, n, eps)
    sec.tables.append(table)
    sec.data["concurrent_writers"] = [
        {"path": label, "writers": n, "elements_per_second": round(eps, 1)}
        for label, n, eps in rows
    ]


async def _explain(ctx: BenchContext, sec: Section) -> None:
    """Where the difference between (a) and (b) comes from: the engine queries of one recordRun
    (recorded in-process), each timed when replayed through the driver under a fresh tenant in a
    transaction that is rolled back, beside the raw writer's statement count for the same run."""
    async with inprocess(ctx.bench) as local:
        for i in range(2):  # the first batch of a process also creates the tenant lock
            probe = make_run(ctx.seed + 5, i, prefix="iq-")
            async with local.recorder.recording() as calls:
                await gql(local.client, RECORD_RUN, batch_variables(probe))
            recorded = list(calls)
    timings = await _replay_rolled_back(ctx, recorded)
    raw = RawBatch([probe], ctx.bench.tenant).statement_count
    sec.data["provgraph_queries_per_batch"] = [
        {"query": name, "ms": round(ms, 2)} for name, ms in timings
    ]
    sec.data["raw_statements_per_batch"] = raw
    slowest = sorted(timings, key=lambda t: -t[1])[:4]
    sec.notes.append(
        f"one recordRun of {probe.elements} elements ran {len(timings)} engine queries "
        f"(the raw writer: {raw} statements), replayed through the driver in "
        f"{sum(ms for _, ms in timings):.0f} ms; slowest: "
        + ", ".join(f"{name} {ms:.0f} ms" for name, ms in slowest)
    )


async def _replay_rolled_back(ctx: BenchContext, calls: list[Call]) -> list[tuple[str, float]]:
    catalog = default_catalog()
    fresh = f"{ctx.bench.tenant}-explain"
    engine = ctx.bench.engine
    timings: list[tuple[str, float]] = []
    async with engine.driver.session(database=engine.database) as session:
        tx = await session.begin_transaction()
        try:
            for name, params in calls:
                t0 = time.perf_counter()
                result = await tx.run(catalog[name].text, {**params, "tenant": fresh})
                await result.consume()
                timings.append((name, (time.perf_counter() - t0) * 1000))
        finally:
            await tx.rollback()
    return timings


def _report(sec: Section, a: Rate, b: Rate, c: Rate, d: Rate, reason: str | None) -> Section:
    table = Table(
        "Ingest (elements = run nodes + nodes + edges, one transaction per request)",
        ["path", "elements", "seconds", "elements/s", "req median ms", "req p99 ms"],
    )
    rows = [
        ("(a) provgraph recordRun batch, HTTP", a),
        ("(b) raw driver UNWIND batches", b),
        ("(c) naive: one recordRun per element", c),
        ("(d) provgraph service, in process", d),
    ]
    for label, rate in rows:
        if not rate.latencies:
            table.add(label, None, None, None, None, None)
            continue
        s = Summary.of(rate.latencies)
        table.add(label, rate.elements, rate.seconds, rate.per_second, s.median, s.p99)
    ab = ratio(a.per_second, b.per_second) if a.latencies else None
    ac = ratio(a.per_second, c.per_second) if a.latencies and c.latencies else None
    db = ratio(d.per_second, b.per_second) if d.latencies else None
    if ab is not None and db is not None:
        sec.notes.append(
            f"(d) is (a)'s write without HTTP and GraphQL: d/b {db:.2f} against a/b {ab:.2f}, "
            "so the HTTP and GraphQL layer (client and server) costs the difference"
        )
    table.add("ratio a/b", None, None, ab, None, None)
    table.add("ratio a/c", None, None, ac, None, None)
    table.add("ratio d/b", None, None, db, None, None)
    sec.tables.append(table)
    sec.data.update(
        provgraph_batch=a.as_dict(),
        raw_unwind=b.as_dict(),
        naive=c.as_dict(),
        service_in_process=d.as_dict(),
        ratio_d_b=db,
        ratio_a_b=ab,
        ratio_a_c=ac,
    )
    if reason is not None:
        sec.skip("(a) provgraph batch and (c) naive", reason)
    why = reason or ""
    sec.targets.append(Target("ingest a/b", ">=", 0.9, ab, reason=why))
    sec.targets.append(Target("ingest a/c", ">=", 10.0, ac, reason=why))
    return sec
