"""The OTel GenAI semantic conventions mapped onto run graphs: pure, no engine.

One trace is one run (``otel-<trace id>``); its root span, when it arrives, describes the run.
Every other ``invoke_agent`` span opens a sub-run (``otel-<trace id>-<span id>-run``) whose
metadata names the parent run. Each span is a node ``otel-<trace id>-<span id>`` in the run of
its nearest ``invoke_agent`` ancestor (the run of its parent's node), so a retried span maps to
the same id and changes nothing. The README's "OTLP mapping" table is this module in prose.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from provgraph.core.domain.errors import BadUserInput
from provgraph.core.domain.ids import validate_id
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.ingest.spans import Span
from provgraph.runs.rules import (
    MAX_SHORT_CHARS,
    MAX_TEXT_CHARS,
    Batch,
    EdgeSpec,
    NodeSpec,
    RunNodeKind,
    RunSpec,
    RunStatus,
)

MODEL_OPERATIONS = frozenset(
    {"chat", "text_completion", "generate_content", "embeddings", "create_agent"}
)
AGENT = "invoke_agent"
TOOL = "execute_tool"
COST_KEYS = ("gen_ai.usage.cost", "gen_ai.usage.cost_usd", "llm.usage.cost")
PREFIX = "otel"


def trace_run_id(trace_id: str) -> str:
    return f"{PREFIX}-{trace_id}"


def node_id(trace_id: str, span_id: str) -> str:
    return f"{PREFIX}-{trace_id}-{span_id}"


def sub_run_id(trace_id: str, span_id: str) -> str:
    return f"{node_id(trace_id, span_id)}-run"


def result_id(trace_id: str, span_id: str) -> str:
    return f"{node_id(trace_id, span_id)}-result"


def operation(span: Span) -> str:
    op = span.attributes.get("gen_ai.operation.name")
    if isinstance(op, str) and op:
        return op
    # Instrumentations name spans "{operation} {target}" (e.g. "chat gpt-4o").
    return span.name.split(" ", 1)[0]


def is_sub_agent(span: Span) -> bool:
    return operation(span) == AGENT and span.parent_span_id is not None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _as_json(value: Any) -> str | None:
    """A JSON document: a string holding JSON stays as it is, anything else is encoded."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return json.dumps(value, ensure_ascii=False)
        return value
    return json.dumps(value, ensure_ascii=False)


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, float) and value >= 0 and value.is_integer():
        return int(value)
    return None


def _cost(attributes: Mapping[str, Any]) -> float | None:
    for key in COST_KEYS:
        value = attributes.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            return float(value)
    return None


def _ms(ns: int) -> int | None:
    return ns // 1_000_000 if ns > 0 else None


def span_json(span: Span) -> str:
    """What a node keeps of its span besides the mapped fields (the exporters read it back)."""
    document = {
        "otel": {
            "trace_id": span.trace_id,
            "span_id": span.span_id,
            "parent_span_id": span.parent_span_id,
            "name": span.name,
            "kind": span.kind,
            "start_ns": span.start_ns,
            "end_ns": span.end_ns,
            "status": {"code": span.status_code, "message": span.status_message},
            "links": [{"trace_id": x.trace_id, "span_id": x.span_id} for x in span.links],
            "service": span.service,
            "scope": span.scope,
        },
        "attributes": span.attributes,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class SpanNodes:
    """The nodes of one span (a tool call has its result too) and the edge between them."""

    nodes: list[NodeSpec]
    edges: list[EdgeSpec]


def span_nodes(span: Span, step: int) -> SpanNodes:
    """The nodes one span maps to (indexes are set when the batch is assembled)."""
    a = span.attributes
    op = operation(span)
    nid = node_id(span.trace_id, span.span_id)
    latency = (span.end_ns - span.start_ns) // 1_000_000 if span.end_ns >= span.start_ns else None
    common: dict[str, Any] = {
        "step": step,
        "json": span_json(span),
        "occurred_at": _ms(span.start_ns),
        "latency_ms": latency,
        "error": span.status_message or ("error" if span.failed else None),
    }
    if op == TOOL:
        name = a.get("gen_ai.tool.name")
        call = NodeSpec(
            0,
            nid,
            RunNodeKind.TOOL_CALL,
            text=span.name,
            tool_name=str(name) if name is not None else span.name.removeprefix("execute_tool "),
            arguments=_as_json(a.get("gen_ai.tool.call.arguments")),
            tool_status="error" if span.failed else "ok",
            **common,
        )
        result_value = a.get("gen_ai.tool.call.result")
        if result_value is None and not span.failed:
            return SpanNodes([call], [])
        result = NodeSpec(
            0,
            result_id(span.trace_id, span.span_id),
            RunNodeKind.TOOL_RESULT,
            step=step,
            text=_text(result_value),
            json=json.dumps({"gen_ai.tool.call.id": a.get("gen_ai.tool.call.id")}),
            occurred_at=_ms(span.end_ns),
            tool_name=call.tool_name,
            tool_status=call.tool_status,
            error=call.error,
        )
        return SpanNodes([call, result], [EdgeSpec(0, EdgeKind.PRODUCED, call.id, result.id)])
    if op in MODEL_OPERATIONS:
        tokens_in = _int(a.get("gen_ai.usage.input_tokens"))
        tokens_out = _int(a.get("gen_ai.usage.output_tokens"))
        tokens = (
            None
            if tokens_in is None and tokens_out is None
            else (tokens_in or 0) + (tokens_out or 0)
        )
        text = _text(a.get("gen_ai.output.messages")) or span.name
        node = NodeSpec(
            0, nid, RunNodeKind.DECISION, text=text, tokens=tokens, cost=_cost(a), **common
        )
        return SpanNodes([node], [])
    if op == AGENT:
        text = _text(a.get("gen_ai.input.messages")) or span.name
        return SpanNodes([NodeSpec(0, nid, RunNodeKind.INPUT, text=text, **common)], [])
    return SpanNodes([NodeSpec(0, nid, RunNodeKind.OBSERVATION, text=span.name, **common)], [])


def span_problem(span: Span) -> str | None:
    """Why a span cannot be stored (then it alone is rejected), or None."""
    nodes = span_nodes(span, 0)
    for node in nodes.nodes:
        for name in ("text", "json", "arguments", "error"):
            value = getattr(node, name)
            if value is not None and len(value) > MAX_TEXT_CHARS:
                return f"its {name} would be longer than {MAX_TEXT_CHARS} characters"
        if node.tool_name is not None and len(node.tool_name) > MAX_SHORT_CHARS:
            return f"gen_ai.tool.name is longer than {MAX_SHORT_CHARS} characters"
    session = span.attributes.get("gen_ai.conversation.id")
    if session is not None:
        try:
            validate_id(str(session), "gen_ai.conversation.id")
        except BadUserInput as exc:
            return exc.message
    return None


def _status(span: Span) -> RunStatus:
    return RunStatus.FAILED if span.failed else RunStatus.SUCCEEDED


def _run_metadata(span: Span, parent_run: str | None) -> str:
    a = span.attributes
    agent = {
        k.removeprefix("gen_ai.agent."): v for k, v in a.items() if k.startswith("gen_ai.agent.")
    }
    document: dict[str, Any] = {
        "source": "otlp",
        "trace_id": span.trace_id,
        "span_id": span.span_id,
        "name": span.name,
        "service": span.service,
    }
    if agent:
        document["agent"] = agent
    if parent_run is not None:
        document["parent_run_id"] = parent_run
        document["parent_span_id"] = span.parent_span_id
    return json.dumps(document, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Stored:
    """What the graph already holds of a trace, as the service found it."""

    # node id -> run id, for the request's span nodes and the parents and links they name
    nodes: Mapping[str, str] = field(default_factory=dict)
    # run id -> its node count (the next spans' steps start there)
    run_sizes: Mapping[str, int] = field(default_factory=dict)
    # stored nodes of the trace's run whose parent span had not arrived: (node id, parent span)
    orphans: Iterable[tuple[str, str]] = ()


@dataclass
class TracePlan:
    """All batches of one trace, written in one transaction in this order."""

    batches: list[Batch]
    runs: list[str]
    new_spans: int


def plan_trace(trace_id: str, spans: list[Span], stored: Stored) -> TracePlan:
    """Batches for ``spans`` (valid spans of one trace, new or already stored)."""
    by_id: dict[str, Span] = {}
    for span in spans:
        by_id.setdefault(span.span_id, span)
    trace_run = trace_run_id(trace_id)
    run_of: dict[str, str] = {}  # span id -> run of its node

    def resolve(span_id: str) -> str:
        chain: list[str] = []
        current: str | None = span_id
        found = trace_run
        while current is not None and current not in run_of:
            span = by_id.get(current)
            if span is None:
                stored_run = stored.nodes.get(node_id(trace_id, current))
                found = stored_run if stored_run is not None else trace_run
                break
            if is_sub_agent(span):
                found = sub_run_id(trace_id, current)
                run_of[current] = found
                break
            chain.append(current)
            if span.parent_span_id is None:
                found = trace_run
                break
            current = span.parent_span_id
        else:
            if current is not None:
                found = run_of[current]
        for sid in chain:
            run_of[sid] = found
        return run_of.get(span_id, found)

    for sid in by_id:
        resolve(sid)

    new = [s for s in by_id.values() if node_id(trace_id, s.span_id) not in stored.nodes]
    new.sort(key=lambda s: (s.start_ns, s.span_id))
    specs: dict[str, RunSpec] = {}
    nodes: dict[str, list[NodeSpec]] = defaultdict(list)
    edges: dict[str, list[EdgeSpec]] = defaultdict(list)
    late: dict[str, list[EdgeSpec]] = defaultdict(list)
    steps: dict[str, int] = {}
    new_node_run: dict[str, str] = {}

    for span in new:
        run = run_of[span.span_id]
        step = steps.get(run, stored.run_sizes.get(run, 0))
        steps[run] = step + 1
        mapped = span_nodes(span, step)
        nodes[run].extend(mapped.nodes)
        edges[run].extend(mapped.edges)
        for node in mapped.nodes:
            new_node_run[node.id] = run
    for span in new:
        run = run_of[span.span_id]
        session = span.attributes.get("gen_ai.conversation.id")
        if span.parent_span_id is None or is_sub_agent(span):
            parent_run = None
            if span.parent_span_id is not None:
                parent_run = resolve(span.parent_span_id)
            specs[run] = RunSpec(
                id=run,
                status=_status(span),
                started_at=_ms(span.start_ns),
                ended_at=_ms(span.end_ns) if span.end_ns >= span.start_ns else None,
                metadata=_run_metadata(span, parent_run),
                session_id=str(session) if session is not None else None,
            )
        elif session is not None and run not in specs:
            specs[run] = RunSpec(id=run, session_id=str(session))
    known = {**stored.nodes, **new_node_run}

    def link(kind: EdgeKind, cause: str, effect: str) -> None:
        effect_run = known[effect]
        cause_run = known.get(cause)
        if cause_run is None:
            return
        # In-run edges between new nodes go with the nodes (sealed into their hashes);
        # edges across runs, or into stored nodes, go after every run's nodes are written.
        same = cause_run == effect_run and effect in new_node_run
        (edges if same else late)[effect_run].append(EdgeSpec(0, kind, cause, effect))

    for span in new:
        child = node_id(trace_id, span.span_id)
        if span.parent_span_id is not None:
            link(EdgeKind.TRIGGERED, node_id(trace_id, span.parent_span_id), child)
        for x in span.links:
            if x.span_id != span.span_id or x.trace_id != trace_id:
                link(EdgeKind.INFLUENCED, node_id(x.trace_id, x.span_id), child)
    for orphan, parent_span in stored.orphans:
        parent = node_id(trace_id, parent_span)
        if parent in new_node_run and orphan in known:
            link(EdgeKind.TRIGGERED, parent, orphan)

    # Parent runs before their sub-runs: the trace's run first, then in order of start.
    order: list[str] = []
    for run in [trace_run, *(run_of[s.span_id] for s in new)]:
        if run not in order and (nodes.get(run) or run in specs):
            order.append(run)
    batches = [
        _numbered(Batch(specs.get(run, RunSpec(id=run)), nodes[run], edges[run])) for run in order
    ]
    batches += [_numbered(Batch(RunSpec(id=run), [], late[run])) for run in sorted(late)]
    return TracePlan(batches, order, len(new))


def _numbered(batch: Batch) -> Batch:
    for i, node in enumerate(batch.nodes):
        node.index = i
    batch.edges = [EdgeSpec(i, e.kind, e.source, e.target) for i, e in enumerate(batch.edges)]
    return batch
