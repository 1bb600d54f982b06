"""Hand-written OTel GenAI spans as OTLP requests (protobuf messages and OTLP/JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

TRACE = "5b8aa5a2d2c872e8321cf37308d69df2"


@dataclass
class S:
    span: str
    name: str
    parent: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    start: int = 0
    error: str | None = None
    links: list[tuple[str, str]] = field(default_factory=list)
    trace: str = TRACE


def any_value(value: Any) -> AnyValue:
    if isinstance(value, bool):
        return AnyValue(bool_value=value)
    if isinstance(value, int):
        return AnyValue(int_value=value)
    if isinstance(value, float):
        return AnyValue(double_value=value)
    return AnyValue(string_value=str(value))


def pb_span(s: S) -> Span:
    base = 1_700_000_000_000_000_000 + s.start * 1_000_000
    span = Span(
        trace_id=bytes.fromhex(s.trace),
        span_id=bytes.fromhex(s.span),
        name=s.name,
        kind=Span.SPAN_KIND_INTERNAL,
        start_time_unix_nano=base,
        end_time_unix_nano=base + 5_000_000,
        attributes=[KeyValue(key=k, value=any_value(v)) for k, v in s.attrs.items()],
    )
    if s.parent:
        span.parent_span_id = bytes.fromhex(s.parent)
    if s.error:
        span.status.code = Status.STATUS_CODE_ERROR
        span.status.message = s.error
    for trace, sid in s.links:
        span.links.add(trace_id=bytes.fromhex(trace), span_id=bytes.fromhex(sid))
    return span


def request(*spans: S, service: str = "agent-app") -> ExportTraceServiceRequest:
    req = ExportTraceServiceRequest()
    rs = req.resource_spans.add()
    rs.resource.attributes.add(key="service.name", value=AnyValue(string_value=service))
    ss = rs.scope_spans.add()
    ss.scope.name = "genai-fixture"
    ss.spans.extend(pb_span(s) for s in spans)
    return req


def json_request(*spans: S) -> bytes:
    """The same request in OTLP/JSON (hex ids, camelCase, int64 as strings)."""

    def value(v: Any) -> dict[str, Any]:
        if isinstance(v, bool):
            return {"boolValue": v}
        if isinstance(v, int):
            return {"intValue": str(v)}
        if isinstance(v, float):
            return {"doubleValue": v}
        return {"stringValue": str(v)}

    out = []
    for s in spans:
        base = 1_700_000_000_000_000_000 + s.start * 1_000_000
        span: dict[str, Any] = {
            "traceId": s.trace,
            "spanId": s.span,
            "name": s.name,
            "kind": 1,
            "startTimeUnixNano": str(base),
            "endTimeUnixNano": str(base + 5_000_000),
            "attributes": [{"key": k, "value": value(v)} for k, v in s.attrs.items()],
        }
        if s.parent:
            span["parentSpanId"] = s.parent
        if s.error:
            span["status"] = {"code": 2, "message": s.error}
        if s.links:
            span["links"] = [{"traceId": t, "spanId": i} for t, i in s.links]
        out.append(span)
    document = {
        "resourceSpans": [
            {
                "resource": {
                    "attributes": [{"key": "service.name", "value": {"stringValue": "agent-app"}}]
                },
                "scopeSpans": [{"scope": {"name": "genai-fixture"}, "spans": out}],
            }
        ]
    }
    return json.dumps(document).encode()


# A research agent: chat -> tool call -> chat, and a nested sub-agent with its own chat.
AGENT = "a000000000000001"
CHAT1 = "a000000000000002"
TOOL = "a000000000000003"
CHAT2 = "a000000000000004"
SUB = "a000000000000005"
SUBCHAT = "a000000000000006"

GENAI_TRACE = [
    S(
        AGENT,
        "invoke_agent researcher",
        attrs={
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.agent.name": "researcher",
            "gen_ai.agent.id": "agent-42",
            "gen_ai.conversation.id": "conv-1",
            "gen_ai.provider.name": "openai",
        },
        start=0,
    ),
    S(
        CHAT1,
        "chat gpt-4o",
        AGENT,
        {
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": "openai",
            "gen_ai.request.model": "gpt-4o",
            "gen_ai.usage.input_tokens": 120,
            "gen_ai.usage.output_tokens": 30,
            "gen_ai.usage.cost": 0.0021,
            "gen_ai.output.messages": '[{"role":"assistant","parts":[{"type":"tool_call"}]}]',
        },
        start=1,
    ),
    S(
        TOOL,
        "execute_tool web_search",
        AGENT,
        {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": "web_search",
            "gen_ai.tool.call.id": "call_1",
            "gen_ai.tool.call.arguments": '{"q": "provenance"}',
            "gen_ai.tool.call.result": "W3C PROV is a family of documents",
        },
        start=2,
        links=[(TRACE, CHAT1)],
    ),
    S(
        CHAT2,
        "chat gpt-4o",
        AGENT,
        {"gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o"},
        start=3,
    ),
    S(
        SUB,
        "invoke_agent summariser",
        AGENT,
        {"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "summariser"},
        start=4,
    ),
    S(
        SUBCHAT,
        "chat claude",
        SUB,
        {"gen_ai.operation.name": "chat", "gen_ai.provider.name": "anthropic"},
        start=5,
    ),
]
