"""provgraph beside a peer tracing backend (``--peer phoenix``: Arize Phoenix), fed the same data.

The workload's runs (``--seed``) until ``--peer-spans`` spans, each run one trace as
``otlp_body`` builds it (the run as ``otlpDocument`` writes it), whole traces packed into OTLP/HTTP
protobuf requests of up to ``--peer-batch`` spans (512 by default, what the OTel SDK's
BatchSpanProcessor exports at most; 1 sends one trace per request). The identical bytes go to
provgraph's ``/v1/traces`` and to the peer's, one request after the other over one keep-alive
connection, one side after the other (never both at once: the machine's cores are shared); a 503
(Phoenix's span queue is full) is retried after ``RETRY_AFTER`` seconds, as an OTLP exporter
retries. Then the same runs go to provgraph once more through ``recordRun``, one run per request.

*Until queryable*: from the first request to the moment the side's query API answers for every
span, polled every ``POLL`` seconds. provgraph writes a request's traces before it answers, so
the last span's node (``runNode``) stands for all; Phoenix answers first, then queues the spans
in a background task per request and inserts them in batches, so it is queryable once its span
count (``Project.recordCount``, fresh database) holds them all and ``getSpanByOtelId`` finds the
last. Spans per second = spans / that time.

*Descendants depth 5*: the same sampled traces, from their root span (``invoke_agent``, the run),
alternating which side goes first: provgraph ``descendants(nodeId, depth: 5)`` (every
provenance edge: parents as ``triggered``, links as ``influenced``, tool results as their own
nodes, ``produced``), Phoenix ``getSpanByOtelId { descendants(maxDepth: 5, first: 5000) }``
(the parent-child span tree only). The server's CPU per query comes from psutil on its process
(provgraph: the server and the embedded engine's JVM; Phoenix: its one process, SQLite inside).
RSS: per process, sampled every 0.25 s while ingesting, and at the end. Start-up: process start
until the health route answers (provgraph: the engine's start, from the bench's own start, plus
a fresh ``provgraph serve`` until ``/readyz``).
"""

from __future__ import annotations

import asyncio
import logging
import random
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import httpx
import psutil
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from bench.context import BenchContext
from bench.gql import gql, http_client
from bench.harness import ServerProcess
from bench.payloads import RECORD_RUN, batch_variables
from bench.peers import phoenix
from bench.report import Section, Table, Target
from bench.rss import RssSampler, rss_of
from bench.sections.otlp import PROTOBUF, otlp_body
from bench.stats import Summary, ratio
from bench.workload import WRun, runs

log = logging.getLogger("bench")
T = TypeVar("T")

DEPTH = 5
FIRST = 5_000  # the most provgraph answers in one traversal (PROVGRAPH_MAX_RESULT_NODES)
POLL = 0.25
RETRY_AFTER = 0.5
WARMUP = 3  # descendants queries per side before the timed ones
INGEST_WARMUP = 5  # traces per side (ids of their own) before the timed ingest
MB = 2**20
# Issue 14: at 100k spans on the default engine, >= 25x the peer's spans/s, descendants median
# <= 1/5 of the peer's and p99 <= 1/10.
SPEED_TARGET = 25.0
MEDIAN_TARGET = 0.2
P99_TARGET = 0.1

PG_NODE = "query PeerNode($id: String!) { runNode(id: $id) { nodeId } }"
PG_DESCENDANTS = (
    "query PeerDescendants($id: String!, $depth: Int!) { descendants(nodeId: $id, depth: $depth) "
    "{ nodes { node { nodeId kind } distance } truncated } }"
)


@dataclass(frozen=True)
class Trace:
    """One workload run as the OTLP request both sides receive."""

    run: WRun
    body: bytes
    trace_id: str
    root_span: str
    last_span: str
    spans: int

    def node_id(self, span_id: str) -> str:
        """provgraph's node for a span of this trace (README: OTLP in)."""
        return f"otel-{self.trace_id}-{span_id}"


def trace_of(run: WRun) -> Trace:
    body = otlp_body(run)
    request = ExportTraceServiceRequest.FromString(body)
    spans = [s for rs in request.resource_spans for ss in rs.scope_spans for s in ss.spans]
    root = next(s for s in spans if not s.parent_span_id)
    return Trace(
        run, body, root.trace_id.hex(), root.span_id.hex(), spans[-1].span_id.hex(), len(spans)
    )


def workload(seed: int, spans: int) -> list[Trace]:
    """The workload's runs as traces until at least ``spans`` spans."""
    out: list[Trace] = []
    total = 0
    for run in runs(seed, prefix="peer-"):
        if total >= spans:
            break
        trace = trace_of(run)
        out.append(trace)
        total += trace.spans
    return out


def batches(traces: Sequence[Trace], spans: int) -> list[bytes]:
    """Request bodies of whole traces, each up to ``spans`` spans (at least one trace):
    serialised ExportTraceServiceRequests concatenate into one (protobuf repeated fields)."""
    out: list[bytes] = []
    group: list[bytes] = []
    held = 0
    for trace in traces:
        if group and held + trace.spans > spans:
            out.append(b"".join(group))
            group, held = [], 0
        group.append(trace.body)
        held += trace.spans
    if group:
        out.append(b"".join(group))
    return out


def warmup_traces(seed: int) -> list[Trace]:
    """A few traces of their own ids, sent to each side before its timed ingest."""
    return [trace_of(r) for r in islice(runs(seed + 1, prefix="peer-warm-"), INGEST_WARMUP)]


async def warm(
    traces: Sequence[Trace],
    send: Callable[[Trace], Awaitable[int]],
    visible: Callable[[str], Awaitable[bool]],
) -> None:
    """Send the warm-up traces and wait until the last one's last span is queryable."""
    for trace in traces:
        await send(trace)
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline:
        if await visible(traces[-1].last_span):
            return
        await asyncio.sleep(POLL)


def cpu_seconds(procs: dict[str, psutil.Process]) -> dict[str, float]:
    return {name: sum(p.cpu_times()[:2]) for name, p in procs.items()}


def _minus(after: dict[str, float], before: dict[str, float]) -> dict[str, float]:
    return {k: after[k] - before[k] for k in after}


@dataclass
class Ingest:
    """One way of writing the traces, until the last span is queryable."""

    path: str
    spans: int
    elements: int
    requests: int
    send_seconds: float
    queryable_seconds: float
    retried: int
    cpu: dict[str, float]  # CPU seconds per process, first request to queryable
    peak_rss: dict[str, int]  # bytes per process while ingesting
    stored: int | None = None  # spans the side reports holding afterwards, when it can say

    @property
    def spans_per_second(self) -> float | None:
        return self.spans / self.queryable_seconds if self.queryable_seconds > 0 else None


@dataclass
class Walk:
    """Descendants at depth 5 from the sampled root spans, on one side."""

    latencies: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per process, all samples

    @property
    def summary(self) -> Summary:
        return Summary.of(self.latencies)

    def cpu_ms_per_query(self) -> float:
        return sum(self.cpu.values()) / max(1, len(self.latencies)) * 1000


@dataclass
class Side:
    """What one side measured; None where a part could not run."""

    name: str
    start_seconds: float | None = None
    start_note: str = ""
    rss_started: dict[str, int] = field(default_factory=dict)
    otlp: Ingest | None = None
    record_run: Ingest | None = None
    walk: Walk | None = None
    rss_end: dict[str, int] = field(default_factory=dict)


@dataclass
class Figures:
    peer: str  # short name: column headers and target lines
    peer_version: str  # what was measured, with its version
    spans: int
    traces: int
    elements: int
    batch: int  # spans per OTLP request at most (whole traces)
    bodies: int  # OTLP requests
    provgraph: Side
    other: Side
    reason: str = ""  # why the peer's side is missing or partial


async def post_otlp(client: httpx.AsyncClient, body: bytes) -> int:
    """POST one trace request; the number of 503 answers retried before the 200. A 200 that
    rejects spans (OTLP partial success) is an error: both sides must hold every span."""
    retried = 0
    while True:
        response = await client.post("/v1/traces", content=body, headers=PROTOBUF)
        if response.status_code == 200:
            answer = ExportTraceServiceResponse.FromString(response.content)
            if answer.partial_success.rejected_spans:
                raise RuntimeError(
                    f"/v1/traces rejected {answer.partial_success.rejected_spans} spans: "
                    f"{answer.partial_success.error_message[:300]}"
                )
            return retried
        if response.status_code != 503:
            raise RuntimeError(f"/v1/traces: HTTP {response.status_code}: {response.text[:300]}")
        retried += 1
        await asyncio.sleep(RETRY_AFTER)


async def ingest(
    path: str,
    procs: dict[str, psutil.Process],
    requests: Sequence[T],
    send: Callable[[T], Awaitable[int]],
    visible: Callable[[], Awaitable[bool]],
    spans: int,
    elements: int,
) -> Ingest:
    """Send ``requests`` one after the other, then poll until the last span is queryable."""
    timeout = max(300.0, spans / 20)  # Phoenix wrote ~280 spans/s here: far inside
    before = cpu_seconds(procs)
    retried = 0
    with RssSampler({name: p.pid for name, p in procs.items()}) as rss:
        t0 = time.perf_counter()
        for i, request in enumerate(requests):
            retried += await send(request)
            if (i + 1) % 500 == 0:
                log.info("%s: %d of %d requests sent", path, i + 1, len(requests))
        sent = time.perf_counter() - t0
        deadline = time.perf_counter() + timeout
        while not await visible():
            if time.perf_counter() > deadline:
                raise phoenix.PeerUnavailable(
                    f"{path}: the last span was not queryable {timeout:.0f}s after the last send"
                )
            await asyncio.sleep(POLL)
        done = time.perf_counter() - t0
    log.info("%s: %d spans queryable after %.1fs (sent in %.1fs)", path, spans, done, sent)
    return Ingest(
        path=path,
        spans=spans,
        elements=elements,
        requests=len(requests),
        send_seconds=sent,
        queryable_seconds=done,
        retried=retried,
        cpu=_minus(cpu_seconds(procs), before),
        peak_rss={name: trace.peak for name, trace in rss.traces.items()},
    )


class Walker:
    """Times one side's descendants query and the CPU its processes spent on it."""

    def __init__(
        self, procs: dict[str, psutil.Process], ask: Callable[[Trace], Awaitable[int]]
    ) -> None:
        self.procs = procs
        self.ask = ask
        self.walk = Walk(cpu=dict.fromkeys(procs, 0.0))

    async def once(self, trace: Trace, *, record: bool = True) -> None:
        before = cpu_seconds(self.procs)
        t0 = time.perf_counter()
        size = await self.ask(trace)
        took = time.perf_counter() - t0
        spent = _minus(cpu_seconds(self.procs), before)
        if record:
            self.walk.latencies.append(took)
            self.walk.sizes.append(size)
            for name, seconds in spent.items():
                self.walk.cpu[name] += seconds


def sample(traces: Sequence[Trace], count: int, seed: int) -> list[Trace]:
    """``count`` traces, distinct while there are enough of them."""
    rng = random.Random(f"peer-sample:{seed}")
    if len(traces) >= count:
        return rng.sample(list(traces), count)
    return rng.choices(list(traces), k=count)


def _mb(values: dict[str, int]) -> float | None:
    return sum(values.values()) / MB if values else None


async def run(ctx: BenchContext) -> Section:
    sec = Section("peer")
    peer = ctx.peer or "phoenix"
    if peer != "phoenix":  # argparse allows only phoenix; a guard for direct callers
        sec.skip(peer, f"unknown peer {peer!r}")
        return sec
    t0 = time.perf_counter()
    traces = workload(ctx.seed, ctx.peer_spans)
    elements = sum(t.run.elements for t in traces)
    log.info(
        "peer: %d traces, %d spans built in %.1fs",
        len(traces),
        sum(t.spans for t in traces),
        time.perf_counter() - t0,
    )
    figures = Figures(
        peer="Phoenix",
        peer_version=phoenix.NAME,
        spans=sum(t.spans for t in traces),
        traces=len(traces),
        elements=elements,
        batch=ctx.peer_batch,
        bodies=0,
        provgraph=Side("provgraph"),
        other=Side(phoenix.NAME),
    )
    venv: Path | None = None
    try:
        venv = await asyncio.to_thread(phoenix.ensure_installed)
    except phoenix.PeerUnavailable as exc:
        figures.reason = str(exc)
    with tempfile.TemporaryDirectory(prefix="provgraph-bench-peer-") as tmp:
        await _measure(ctx, traces, figures, venv, Path(tmp))
    return report(sec, figures, ctx.size.samples)


async def _measure(
    ctx: BenchContext, traces: list[Trace], fig: Figures, venv: Path | None, tmp: Path
) -> None:
    pg, other = fig.provgraph, fig.other
    server = ServerProcess(ctx.bench)
    t0 = time.monotonic()
    await server.start()
    server_start = time.monotonic() - t0
    engine_start = ctx.engine_start_seconds
    pg.start_seconds = server_start + (engine_start or 0.0)
    pg.start_note = (
        f"engine {engine_start:.1f} s + server {server_start:.1f} s"
        if engine_start is not None
        else f"server {server_start:.1f} s (engine external)"
    )
    phx: phoenix.PhoenixServer | None = None
    try:
        pg_procs = {"server": psutil.Process(server.pid)}
        if ctx.bench.engine_pid is not None:
            pg_procs["engine"] = psutil.Process(ctx.bench.engine_pid)
        pg.rss_started = {n: rss_of(p.pid) for n, p in pg_procs.items()}
        phx_procs: dict[str, psutil.Process] = {}
        if venv is not None:
            phx = phoenix.PhoenixServer(venv, tmp)
            try:
                other.start_seconds = await phx.start()
                phx_procs = {"phoenix": psutil.Process(phx.pid)}
                other.rss_started = {"phoenix": rss_of(phx.pid)}
            except phoenix.PeerUnavailable as exc:
                fig.reason = str(exc)
                phx = None
        async with http_client(server.url) as pg_client:
            last = traces[-1]
            warmup = warmup_traces(ctx.seed)

            async def pg_span(trace: Trace, span_id: str) -> bool:
                data = await gql(pg_client, PG_NODE, {"id": trace.node_id(span_id)})
                return data["runNode"] is not None

            async def pg_visible() -> bool:
                return await pg_span(last, last.last_span)

            await warm(
                warmup,
                lambda t: post_otlp(pg_client, t.body),
                lambda span: pg_span(warmup[-1], span),
            )
            bodies = batches(traces, fig.batch)
            fig.bodies = len(bodies)
            pg.otlp = await ingest(
                "provgraph OTLP /v1/traces",
                pg_procs,
                bodies,
                lambda body: post_otlp(pg_client, body),
                pg_visible,
                fig.spans,
                fig.elements,
            )
            if phx is not None:
                await _peer_ingest(phx, phx_procs, bodies, traces[-1], warmup, fig)

            async def pg_descendants(trace: Trace) -> int:
                variables = {"id": trace.node_id(trace.root_span), "depth": DEPTH}
                data = await gql(pg_client, PG_DESCENDANTS, variables)
                return len(data["descendants"]["nodes"])

            pg_walker = Walker(pg_procs, pg_descendants)
            chosen = sample(traces, ctx.size.samples, ctx.seed)
            if phx is not None and other.otlp is not None:
                await _walk_both(phx, phx_procs, pg_walker, chosen, fig)
            else:
                for trace in chosen[:WARMUP]:
                    await pg_walker.once(trace, record=False)
                for trace in chosen:
                    await pg_walker.once(trace)
            pg.walk = pg_walker.walk

            variables = [batch_variables(t.run) for t in traces]
            last_node = last.run.nodes[-1].id

            async def record(v: dict[str, Any]) -> int:
                await gql(pg_client, RECORD_RUN, v)
                return 0

            async def recorded() -> bool:
                data = await gql(pg_client, PG_NODE, {"id": last_node})
                return data["runNode"] is not None

            pg.record_run = await ingest(
                "provgraph recordRun",
                pg_procs,
                variables,
                record,
                recorded,
                fig.spans,
                fig.elements,
            )
        pg.rss_end = {n: rss_of(p.pid) for n, p in pg_procs.items()}
        if phx is not None:
            other.rss_end = {"phoenix": rss_of(phx.pid)}
    finally:
        if phx is not None:
            await phx.stop()
        await server.stop()


async def _peer_ingest(
    phx: phoenix.PhoenixServer,
    procs: dict[str, psutil.Process],
    bodies: list[bytes],
    last_trace: Trace,
    warmup: list[Trace],
    fig: Figures,
) -> None:
    last = last_trace.last_span
    # Phoenix answers before it stores, and stores each request's spans in a background task:
    # the requests' tasks interleave, so the last span sent may be stored before earlier ones.
    # Queryable is therefore every span counted (its database is fresh) and the last one found.
    expected = sum(t.spans for t in warmup) + fig.spans

    async def stored() -> bool:  # the indexed lookup first: the count scans the spans
        return await phoenix.span_stored(client, last) and (
            await phoenix.span_count(client) >= expected
        )

    async with http_client(phx.url) as client:
        try:
            await warm(
                warmup,
                lambda t: post_otlp(client, t.body),
                lambda span: phoenix.span_stored(client, span),
            )
            fig.other.otlp = await ingest(
                f"{fig.peer} OTLP /v1/traces",
                procs,
                bodies,
                lambda body: post_otlp(client, body),
                stored,
                fig.spans,
                fig.elements,
            )
            held = await phoenix.span_count(client)
            fig.other.otlp.stored = held - sum(t.spans for t in warmup)
        except (phoenix.PeerUnavailable, RuntimeError, httpx.HTTPError) as exc:
            fig.reason = f"{fig.peer} ingest: {exc}"


async def _walk_both(
    phx: phoenix.PhoenixServer,
    procs: dict[str, psutil.Process],
    pg_walker: Walker,
    chosen: list[Trace],
    fig: Figures,
) -> None:
    async with http_client(phx.url) as client:

        async def phx_descendants(trace: Trace) -> int:
            return await phoenix.descendants(client, trace.root_span, DEPTH, FIRST)

        walker = Walker(procs, phx_descendants)
        try:
            for trace in chosen[:WARMUP]:
                await pg_walker.once(trace, record=False)
                await walker.once(trace, record=False)
            for i, trace in enumerate(chosen):
                first, second = (pg_walker, walker) if i % 2 == 0 else (walker, pg_walker)
                await first.once(trace)
                await second.once(trace)
            fig.other.walk = walker.walk
        except (phoenix.PeerUnavailable, httpx.HTTPError) as exc:
            fig.reason = f"{fig.peer} descendants: {exc}"
            for trace in chosen[len(pg_walker.walk.latencies) :]:
                await pg_walker.once(trace)


def peer_targets(fig: Figures) -> list[Target]:
    """The issue's three goals, as ratios provgraph / peer."""
    pg, other = fig.provgraph, fig.other
    why = fig.reason or f"{fig.peer} was not measured"
    note = f"{fig.spans:,} spans"
    speed = None
    if pg.otlp is not None and other.otlp is not None:
        a, b = pg.otlp.spans_per_second, other.otlp.spans_per_second
        speed = ratio(a, b) if a is not None and b is not None else None
    median = p99 = None
    if pg.walk is not None and other.walk is not None and other.walk.latencies:
        mine, theirs = pg.walk.summary, other.walk.summary
        median = ratio(mine.median, theirs.median)
        p99 = ratio(mine.p99, theirs.p99)
    short = fig.peer
    return [
        Target(
            f"peer: spans/s until queryable, provgraph OTLP / {short}",
            ">=",
            SPEED_TARGET,
            speed,
            "x",
            reason=why,
            note=note,
        ),
        Target(
            f"peer: descendants d{DEPTH} median, provgraph / {short}",
            "<=",
            MEDIAN_TARGET,
            median,
            "x",
            reason=why,
            note=note,
        ),
        Target(
            f"peer: descendants d{DEPTH} p99, provgraph / {short}",
            "<=",
            P99_TARGET,
            p99,
            "x",
            reason=why,
            note=note,
        ),
    ]


def _sum(values: dict[str, float] | dict[str, int]) -> float | None:
    return float(sum(values.values())) if values else None


def report(sec: Section, fig: Figures, samples: int) -> Section:
    pg, other = fig.provgraph, fig.other
    short = fig.peer
    summary = Table(
        f"provgraph vs {fig.peer_version}: the same {fig.spans:,} spans ({fig.traces:,} "
        f"traces in {fig.bodies:,} OTLP protobuf requests); provgraph = server + engine",
        ["measure", "provgraph", short, "provgraph/peer"],
    )

    def row(name: str, a: float | None, b: float | None) -> None:
        summary.add(name, a, b, ratio(a, b) if a is not None and b is not None else None)

    def rate(i: Ingest | None) -> float | None:
        return i.spans_per_second if i is not None else None

    def walk(w: Walk | None, pick: Callable[[Summary], float]) -> float | None:
        return pick(w.summary) if w is not None and w.latencies else None

    row("spans/s until queryable (OTLP)", rate(pg.otlp), rate(other.otlp))
    row(
        "seconds until queryable (OTLP)",
        pg.otlp.queryable_seconds if pg.otlp else None,
        other.otlp.queryable_seconds if other.otlp else None,
    )
    row("spans/s until queryable (recordRun, same runs)", rate(pg.record_run), None)
    row(
        f"descendants d{DEPTH} median ms",
        walk(pg.walk, lambda s: s.median),
        walk(other.walk, lambda s: s.median),
    )
    row(
        f"descendants d{DEPTH} p99 ms",
        walk(pg.walk, lambda s: s.p99),
        walk(other.walk, lambda s: s.p99),
    )
    row(
        "server CPU ms per descendants query",
        pg.walk.cpu_ms_per_query() if pg.walk and pg.walk.latencies else None,
        other.walk.cpu_ms_per_query() if other.walk and other.walk.latencies else None,
    )
    row(
        "server CPU s while ingesting (OTLP)",
        _sum(pg.otlp.cpu) if pg.otlp else None,
        _sum(other.otlp.cpu) if other.otlp else None,
    )
    row(
        "peak RSS MB while ingesting (OTLP)",
        _mb(pg.otlp.peak_rss) if pg.otlp else None,
        _mb(other.otlp.peak_rss) if other.otlp else None,
    )
    row("RSS MB after start-up", _mb(pg.rss_started), _mb(other.rss_started))
    row("RSS MB at the end", _mb(pg.rss_end), _mb(other.rss_end))
    row("start-up s", pg.start_seconds, other.start_seconds)
    sec.tables.append(summary)

    ingests = [i for i in (pg.otlp, pg.record_run, other.otlp) if i is not None]
    detail = Table(
        f"Ingest until queryable (OTLP: {_packing(fig.batch)}; recordRun: one run per "
        "request; one connection; CPU s and peak RSS MB per process)",
        [
            "path",
            "spans",
            "requests",
            "send s",
            "queryable s",
            "spans/s",
            "503 retried",
            "CPU s",
            "peak RSS MB",
            "stored",
        ],
    )
    for i in ingests:
        detail.add(
            i.path,
            i.spans,
            i.requests,
            i.send_seconds,
            i.queryable_seconds,
            i.spans_per_second,
            i.retried,
            " + ".join(f"{n} {v:.1f}" for n, v in i.cpu.items()),
            " + ".join(f"{n} {v / MB:.0f}" for n, v in i.peak_rss.items()),
            i.stored,
        )
    if ingests:
        sec.tables.append(detail)

    walks = [(s, s.walk) for s in (pg, other) if s.walk is not None and s.walk.latencies]
    if walks:
        table = Table(
            f"Descendants depth {DEPTH} from the same {samples} sampled trace roots (ms; CPU ms "
            "per query per process)",
            ["side", "samples", "nodes/answer", "median", "p95", "p99", "CPU ms/query"],
        )
        for side, w in walks:
            s = w.summary
            per = max(1, len(w.latencies))
            table.add(
                side.name,
                s.samples,
                sum(w.sizes) / len(w.sizes),
                s.median,
                s.p95,
                s.p99,
                " + ".join(f"{n} {v / per * 1000:.1f}" for n, v in w.cpu.items()),
            )
        sec.tables.append(table)

    sec.notes.append(
        f"peer: {fig.traces:,} workload runs as traces, {fig.spans:,} spans ({fig.elements:,} "
        "recordRun elements: run + nodes + edges); identical protobuf bytes to both /v1/traces."
    )
    sec.notes.append(
        f"peer: descendants: provgraph walks every provenance edge to depth {DEPTH} (parents as "
        "triggered, links as influenced, each tool result its own node); Phoenix's "
        f"Span.descendants walks the parent-child tree (maxDepth {DEPTH}, first {FIRST}; its "
        "defaults are maxDepth 3 and first 50, maxDepth 0 means no limit)."
    )
    if pg.start_note:
        sec.notes.append(f"peer: provgraph start-up = {pg.start_note}.")
    if fig.reason:
        sec.skip(fig.peer, fig.reason)
    sec.targets.extend(peer_targets(fig))
    sec.data.update(_as_data(fig))
    return sec


def _packing(batch: int) -> str:
    if batch == 1:
        return "one trace per request"
    return f"whole traces, up to {batch} spans per request"


def _ingest_data(i: Ingest | None) -> dict[str, Any] | None:
    if i is None:
        return None
    return {
        "path": i.path,
        "spans": i.spans,
        "elements": i.elements,
        "requests": i.requests,
        "send_seconds": round(i.send_seconds, 2),
        "queryable_seconds": round(i.queryable_seconds, 2),
        "spans_per_second": round(i.spans_per_second or 0.0, 1),
        "retried_503": i.retried,
        "cpu_seconds": {k: round(v, 2) for k, v in i.cpu.items()},
        "peak_rss_mb": {k: round(v / MB, 1) for k, v in i.peak_rss.items()},
        "stored": i.stored,
    }


def _side_data(s: Side) -> dict[str, Any]:
    walk = None
    if s.walk is not None and s.walk.latencies:
        walk = {
            "ms": s.walk.summary.as_dict(),
            "nodes_per_answer": round(sum(s.walk.sizes) / len(s.walk.sizes), 1),
            "cpu_ms_per_query": {
                k: round(v / len(s.walk.latencies) * 1000, 2) for k, v in s.walk.cpu.items()
            },
        }
    return {
        "start_seconds": round(s.start_seconds, 2) if s.start_seconds is not None else None,
        "start_note": s.start_note or None,
        "rss_started_mb": {k: round(v / MB, 1) for k, v in s.rss_started.items()},
        "rss_end_mb": {k: round(v / MB, 1) for k, v in s.rss_end.items()},
        "otlp": _ingest_data(s.otlp),
        "record_run": _ingest_data(s.record_run),
        "descendants": walk,
    }


def _as_data(fig: Figures) -> dict[str, Any]:
    return {
        "peer": fig.peer_version,
        "spans": fig.spans,
        "traces": fig.traces,
        "elements": fig.elements,
        "depth": DEPTH,
        "provgraph": _side_data(fig.provgraph),
        "other": _side_data(fig.other),
        "reason": fig.reason or None,
    }
