"""Ingest use cases: OTLP traces and Claude Code hook events, recorded through the runs area."""

from __future__ import annotations

import json
from collections import defaultdict

from provgraph.config import Settings
from provgraph.core.domain.errors import BadUserInput
from provgraph.ingest import claude
from provgraph.ingest.rules import (
    Stored,
    TracePlan,
    is_sub_agent,
    node_id,
    plan_trace,
    span_problem,
    sub_run_id,
    trace_run_id,
)
from provgraph.ingest.spans import (
    Rejected,
    Span,
    decode,
    decompress,
    media_type,
    response,
    spans_of,
)
from provgraph.runs.service import RunService

# How many rejection reasons one partial-success message lists.
MAX_REASONS = 5


class IngestService:
    def __init__(self, runs: RunService, settings: Settings) -> None:
        self._runs = runs
        self._settings = settings

    # --- OTLP -----------------------------------------------------------------------------

    async def otlp_traces(
        self, tenant: str, body: bytes, content_type: str | None, content_encoding: str | None
    ) -> tuple[bytes, str]:
        """Record an OTLP ExportTraceServiceRequest; the response body and its content type.

        Each trace is written in one transaction: a trace the graph refuses (its spans
        conflict with what is stored) is rejected whole and counted in ``rejected_spans``.
        """
        kind = media_type(content_type)
        raw = decompress(body, content_encoding, self._settings.max_body_bytes)
        spans, rejected = spans_of(decode(raw, kind))
        good: dict[str, list[Span]] = defaultdict(list)
        for span in spans:
            problem = span_problem(span)
            if problem is None:
                good[span.trace_id].append(span)
            else:
                rejected.append(Rejected(span.position, problem))
        count = len(rejected)
        if len(good) > 1 and not _linked_across(good):
            # Several traces (an exporter's batch): planned from two lookups and written in one
            # transaction. Should the graph refuse one of them, nothing is kept and each trace
            # is recorded on its own below, so the response says which was rejected.
            try:
                await self._record_traces(tenant, good)
                good = {}
            except BadUserInput:
                pass
        for trace_id, trace_spans in good.items():
            try:
                await self.record_trace(tenant, trace_id, trace_spans)
            except BadUserInput as exc:
                count += len(trace_spans)
                rejected.append(Rejected(f"trace {trace_id}", exc.message))
        reasons = "; ".join(f"{r.position}: {r.reason}" for r in rejected[:MAX_REASONS])
        if len(rejected) > MAX_REASONS:
            reasons += f"; and {len(rejected) - MAX_REASONS} more"
        return response(kind, count, reasons)

    async def record_trace(self, tenant: str, trace_id: str, spans: list[Span]) -> int:
        """Record the spans of one trace (all or nothing); the number of new spans."""
        plans = await self._plan(tenant, {trace_id: spans})
        await self._runs.record_all(tenant, plans[0].batches)
        return plans[0].new_spans

    async def _record_traces(self, tenant: str, traces: dict[str, list[Span]]) -> None:
        """Record several traces in one transaction (all or nothing)."""
        plans = await self._plan(tenant, traces)
        await self._runs.record_all(tenant, [b for plan in plans for b in plan.batches])

    async def _plan(self, tenant: str, traces: dict[str, list[Span]]) -> list[TracePlan]:
        """The batches of each trace, from what the graph holds (one lookup of nodes and one of
        runs for all the traces; a trace whose run is stored also reads that run)."""
        wanted: set[str] = set()
        run_ids: set[str] = set()
        for trace_id, spans in traces.items():
            wanted.update(_named_nodes(trace_id, spans))
            run_ids.add(trace_run_id(trace_id))
            run_ids.update(sub_run_id(trace_id, s.span_id) for s in spans if is_sub_agent(s))
        found = {n.id: n.run_id for n in await self._runs.get_nodes(tenant, sorted(wanted))}
        run_ids.update(found.values())
        sizes = {r.id: r.node_count for r in await self._runs.get_runs(tenant, sorted(run_ids))}
        plans: list[TracePlan] = []
        for trace_id, spans in traces.items():
            known = dict(found)
            orphans: list[tuple[str, str]] = []
            trace_run = trace_run_id(trace_id)
            arriving = {s.span_id for s in spans if node_id(trace_id, s.span_id) not in found}
            if trace_run in sizes and arriving:
                # Spans stored before their parent arrived wait in the trace's run for the edge.
                graph = await self._runs.subgraph(tenant, trace_run, None)
                for node in graph.nodes:
                    parent = _parent_span(node.json_text)
                    if parent in arriving:
                        known.setdefault(node.id, node.run_id)
                        orphans.append((node.id, parent))
            plans.append(plan_trace(trace_id, spans, Stored(known, sizes, orphans)))
        return plans

    # --- Claude Code hooks ----------------------------------------------------------------

    async def claude_hook(self, tenant: str, body: bytes) -> dict[str, object]:
        event = claude.parse(body)
        main = claude.run_id(event.session_id)
        agent = event.get("agent_id")
        wanted = [main, *([claude.agent_run_id(event.session_id, agent)] if agent else [])]
        node_count = 0
        nodes: list[claude.NodeRecord] = []
        for run in await self._runs.get_runs(tenant, wanted):
            node_count += run.node_count
            if run.node_count:
                nodes.extend((await self._runs.subgraph(tenant, run.id, None)).nodes)
        state = claude.State.of(node_count, nodes)
        batches = claude.plan(event, state)
        results = await self._runs.record_all(tenant, batches)
        return {
            "run": batches[-1].run.id if batches else main,
            "nodesCreated": sum(r.nodes_created for r in results),
            "edgesCreated": sum(r.edges_created for r in results),
        }


def _named_nodes(trace_id: str, spans: list[Span]) -> set[str]:
    """The node ids a trace's spans name: their own, their parents' and their links'."""
    wanted = {node_id(trace_id, s.span_id) for s in spans}
    for s in spans:
        if s.parent_span_id is not None:
            wanted.add(node_id(trace_id, s.parent_span_id))
        wanted.update(node_id(x.trace_id, x.span_id) for x in s.links)
    return wanted


def _linked_across(traces: dict[str, list[Span]]) -> bool:
    """Whether a span links to a span of another trace of the same request (then the traces
    are recorded one after the other, so the later one finds the earlier one's nodes)."""
    return any(
        x.trace_id != trace_id and x.trace_id in traces
        for trace_id, spans in traces.items()
        for s in spans
        for x in s.links
    )


def _parent_span(json_text: str | None) -> str | None:
    if not json_text or '"otel"' not in json_text:
        return None
    try:
        document = json.loads(json_text)
        parent = document["otel"]["parent_span_id"]
    except (ValueError, KeyError, TypeError):
        return None
    return parent if isinstance(parent, str) else None
