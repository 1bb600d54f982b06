"""Run graphs as OTLP/JSON trace requests: the inverse of ``ingest/rules.py``, pure, no engine.

A node that came in as a span (its JSON keeps an ``otel`` part) goes out as that span again:
same trace and span ids, parent, links, times, kind, status, attributes, service and scope, so
the export ingests back into the same run graph. Every other node becomes a span of its run's
trace (trace id and span ids are derived from the run and node ids, so an export is stable):

* a run that did not come from OTLP: an ``invoke_agent`` span (agent id, session as
  ``gen_ai.conversation.id``, status, times, metadata) — the parent of its nodes' spans;
* a decision: a ``chat`` span (``gen_ai.output.messages`` its text, ``gen_ai.usage.cost``,
  the token total as ``provgraph.tokens``: provgraph keeps no input/output split);
* a tool call: an ``execute_tool`` span (``gen_ai.tool.name``, ``gen_ai.tool.call.id``,
  ``gen_ai.tool.call.arguments``) with its result folded in (``gen_ai.tool.call.result``);
* any other node: a span named after its kind, keeping text and JSON as ``provgraph.*``.

Every node span carries ``provgraph.node.id``, ``provgraph.node.kind`` and ``provgraph.step``.
Edges: a ``triggered`` edge between nodes of one trace makes the cause the effect's parent
span (the first one; a node has one parent); every other edge is a link from the effect's span
to the cause's, with ``provgraph.edge.kind``. Edges a span already says (its parent, its links)
are not repeated. The README's "OTLP export" table is this module in prose.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.export.records import ExportEdge, ExportNode, ExportRun, Graph

SERVICE = "provgraph"
SCOPE = "provgraph.export"
SPAN_KIND_INTERNAL = 1
STATUS_ERROR = 2
STATUS_OK = 1


def _hex(text: str, chars: int) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:chars]
    # An all-zero id is invalid in OTLP; astronomically unlikely, but never send one.
    return digest if digest.strip("0") else "1".rjust(chars, "0")


def run_trace_id(run_id: str) -> str:
    return _hex(f"provgraph-run:{run_id}", 32)


def run_span_id(run_id: str) -> str:
    return _hex(f"provgraph-run-span:{run_id}", 16)


def node_span_id(node_id: str) -> str:
    return _hex(f"provgraph-node:{node_id}", 16)


def _ns(ms: int | None) -> int:
    return ms * 1_000_000 if ms is not None and ms > 0 else 0


def _loads(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def any_value(value: Any) -> dict[str, Any] | None:
    """An OTLP/JSON AnyValue (None for None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, list):
        return {"arrayValue": {"values": [any_value(v) or {} for v in value]}}
    if isinstance(value, dict):
        return {"kvlistValue": {"values": key_values(value)}}
    return {"stringValue": str(value)}


def key_values(attributes: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for key, value in attributes.items():
        encoded = any_value(value)
        if encoded is not None:
            out.append({"key": key, "value": encoded})
    return out


@dataclass
class OutSpan:
    trace_id: str
    span_id: str
    parent_span_id: str | None
    name: str
    start_ns: int
    end_ns: int
    attributes: dict[str, Any]
    kind: int = SPAN_KIND_INTERNAL
    status_code: int = 0
    status_message: str = ""
    links: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    service: str = SERVICE
    scope: str = SCOPE

    def to_json(self) -> dict[str, Any]:
        span: dict[str, Any] = {
            "traceId": self.trace_id,
            "spanId": self.span_id,
            "name": self.name,
            "kind": self.kind,
            "startTimeUnixNano": str(self.start_ns),
            "endTimeUnixNano": str(self.end_ns),
            "attributes": key_values(self.attributes),
        }
        if self.parent_span_id:
            span["parentSpanId"] = self.parent_span_id
        if self.status_code or self.status_message:
            span["status"] = {"code": self.status_code, "message": self.status_message}
        if self.links:
            span["links"] = [
                {"traceId": t, "spanId": s, "attributes": key_values(a)} for t, s, a in self.links
            ]
        return span


@dataclass(frozen=True)
class OtlpDocument:
    document: dict[str, Any]
    span_count: int


def _otel_part(node: ExportNode) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The span a node came from (its ``otel`` part and attributes), if it came from one."""
    doc = _loads(node.json)
    if not isinstance(doc, dict):
        return None
    otel, attributes = doc.get("otel"), doc.get("attributes")
    if not isinstance(otel, dict) or not isinstance(otel.get("span_id"), str):
        return None
    if not isinstance(otel.get("trace_id"), str):
        return None
    return otel, attributes if isinstance(attributes, dict) else {}


def _from_otel(otel: dict[str, Any], attributes: dict[str, Any]) -> OutSpan:
    status = otel.get("status") or {}
    links: list[tuple[str, str, dict[str, Any]]] = [
        (str(x["trace_id"]), str(x["span_id"]), {})
        for x in otel.get("links") or []
        if isinstance(x, dict) and x.get("trace_id") and x.get("span_id")
    ]
    return OutSpan(
        trace_id=otel["trace_id"],
        span_id=otel["span_id"],
        parent_span_id=otel.get("parent_span_id") or None,
        name=str(otel.get("name") or ""),
        start_ns=int(otel.get("start_ns") or 0),
        end_ns=int(otel.get("end_ns") or 0),
        attributes=dict(attributes),
        kind=int(otel.get("kind") or 0),
        status_code=int(status.get("code") or 0),
        status_message=str(status.get("message") or ""),
        links=links,
        service=str(otel.get("service") or SERVICE),
        scope=str(otel.get("scope") or ""),
    )


def _run_from_otlp(run: ExportRun) -> dict[str, Any] | None:
    meta = _loads(run.metadata)
    if isinstance(meta, dict) and meta.get("source") == "otlp" and meta.get("trace_id"):
        return meta
    return None


def _run_span(run: ExportRun) -> OutSpan:
    attributes: dict[str, Any] = {
        "gen_ai.operation.name": "invoke_agent",
        "provgraph.run.id": run.id,
    }
    if run.agent_id:
        attributes["gen_ai.agent.id"] = run.agent_id
    if run.session_id:
        attributes["gen_ai.conversation.id"] = run.session_id
    if run.status:
        attributes["provgraph.run.status"] = run.status
    if run.metadata:
        attributes["provgraph.run.metadata"] = run.metadata
    start = _ns(run.started_at)
    failed = run.status == "failed"
    return OutSpan(
        trace_id=run_trace_id(run.id),
        span_id=run_span_id(run.id),
        parent_span_id=None,
        name=f"invoke_agent {run.agent_id}" if run.agent_id else "invoke_agent",
        start_ns=start,
        end_ns=max(_ns(run.ended_at), start),
        attributes=attributes,
        status_code=STATUS_ERROR if failed else (STATUS_OK if run.status == "succeeded" else 0),
    )


def _node_span(node: ExportNode, trace_id: str, parent: str | None) -> OutSpan:
    a: dict[str, Any] = {
        "provgraph.node.id": node.id,
        "provgraph.node.kind": node.kind,
        "provgraph.step": node.step,
    }
    if node.kind == "decision":
        a["gen_ai.operation.name"] = "chat"
        name = "chat"
        if node.text is not None:
            a["gen_ai.output.messages"] = node.text
        if node.tokens is not None:
            a["provgraph.tokens"] = node.tokens
        if node.cost is not None:
            a["gen_ai.usage.cost"] = node.cost
        if node.json is not None:
            a["provgraph.json"] = node.json
    elif node.kind == "tool_call":
        a["gen_ai.operation.name"] = "execute_tool"
        name = f"execute_tool {node.tool_name}" if node.tool_name else "execute_tool"
        if node.tool_name is not None:
            a["gen_ai.tool.name"] = node.tool_name
        a["gen_ai.tool.call.id"] = node.id
        if node.arguments is not None:
            a["gen_ai.tool.call.arguments"] = node.arguments
        if node.text is not None:
            a["provgraph.text"] = node.text
        if node.json is not None:
            a["provgraph.json"] = node.json
    else:
        name = node.kind
        if node.text is not None:
            a["provgraph.text"] = node.text
        if node.json is not None:
            a["provgraph.json"] = node.json
        if node.tokens is not None:
            a["provgraph.tokens"] = node.tokens
        if node.cost is not None:
            a["provgraph.cost"] = node.cost
    if node.tool_status is not None:
        a["provgraph.tool_status"] = node.tool_status
    start = _ns(node.occurred_at)
    failed = node.error is not None or node.tool_status == "error"
    return OutSpan(
        trace_id=trace_id,
        span_id=node_span_id(node.id),
        parent_span_id=parent,
        name=name,
        start_ns=start,
        end_ns=start + (node.latency_ms or 0) * 1_000_000,
        attributes=a,
        status_code=STATUS_ERROR if failed else 0,
        status_message=node.error or "",
    )


def _cause_effect(edge: ExportEdge) -> tuple[str, str]:
    if edge.kind.spec.source_is_effect:
        return edge.target, edge.source
    return edge.source, edge.target


def to_otlp(graph: Graph) -> OtlpDocument:
    """The graph's runs as one OTLP/JSON ``ExportTraceServiceRequest``."""
    runs = {r.id: r for r in graph.runs}
    nodes = {n.id: n for n in graph.nodes}
    spans: dict[str, OutSpan] = {}  # node id -> its span
    run_spans: list[OutSpan] = []
    trace_of_run: dict[str, str] = {}
    for run in sorted(graph.runs, key=lambda r: r.id):
        meta = _run_from_otlp(run)
        if meta is not None:
            trace_of_run[run.id] = str(meta["trace_id"])
        else:
            trace_of_run[run.id] = run_trace_id(run.id)
            run_spans.append(_run_span(run))

    # Tool results fold into the call that produced them (OTel has one span per tool call).
    folded: dict[str, str] = {}  # result id -> call id
    for e in graph.edges:
        if e.kind is EdgeKind.PRODUCED:
            src, dst = nodes.get(e.source), nodes.get(e.target)
            if src and dst and src.kind == "tool_call" and dst.kind == "tool_result":
                folded.setdefault(dst.id, src.id)

    ordered = sorted(graph.nodes, key=lambda n: (n.run_id, n.step, n.id))
    for node in ordered:
        if node.id in folded:
            continue
        otel = _otel_part(node)
        if otel is not None:
            spans[node.id] = _from_otel(*otel)
            continue
        trace = trace_of_run.get(node.run_id) or run_trace_id(node.run_id)
        owner = runs.get(node.run_id)
        native_run = owner is not None and _run_from_otlp(owner) is None
        parent = run_span_id(node.run_id) if native_run else None
        spans[node.id] = _node_span(node, trace, parent)
    for result_id, call_id in folded.items():
        result, call = nodes[result_id], spans.get(call_id)
        if call is None:
            continue
        if result.text is not None:
            call.attributes.setdefault("gen_ai.tool.call.result", result.text)
        if result.error and not call.status_message:
            call.status_code, call.status_message = STATUS_ERROR, result.error
        if "provgraph.node.id" in call.attributes:
            call.attributes["provgraph.result.id"] = result_id

    # Native parents: a node's first "triggered" cause in the same trace.
    parented: set[str] = set()
    for e in sorted(graph.edges, key=lambda e: (e.kind.value, e.source, e.target)):
        cause, effect = _cause_effect(e)
        cause = folded.get(cause, cause)
        effect = folded.get(effect, effect)
        if cause == effect:
            continue
        cs, es = spans.get(cause), spans.get(effect)
        if cs is None or es is None:
            continue
        if es.parent_span_id == cs.span_id or any(
            t == cs.trace_id and s == cs.span_id for t, s, _ in es.links
        ):
            continue  # the span says it already
        native = "provgraph.node.id" in es.attributes
        if (
            native
            and e.kind is EdgeKind.TRIGGERED
            and effect not in parented
            and cs.trace_id == es.trace_id
        ):
            es.parent_span_id = cs.span_id
            parented.add(effect)
            continue
        es.links.append((cs.trace_id, cs.span_id, {"provgraph.edge.kind": e.kind.value}))

    everything = run_spans + list(spans.values())
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for span in everything:
        grouped[span.service][span.scope].append(span.to_json())
    resource_spans = []
    for service in sorted(grouped):
        scopes = grouped[service]
        resource_spans.append(
            {
                "resource": {
                    "attributes": [{"key": "service.name", "value": {"stringValue": service}}]
                },
                "scopeSpans": [
                    {"scope": {"name": scope} if scope else {}, "spans": scopes[scope]}
                    for scope in sorted(scopes)
                ],
            }
        )
    return OtlpDocument({"resourceSpans": resource_spans}, len(everything))
