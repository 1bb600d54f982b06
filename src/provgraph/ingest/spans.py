"""OTLP trace requests decoded into plain spans (protobuf and JSON), without the engine.

OTLP/JSON differs from protobuf's own JSON mapping in one point: trace and span ids are hex,
not base64. ``decode_json`` turns them into base64 and lets protobuf's parser do the rest, so
both encodings go through the one protobuf message and the one ``spans_of``.
"""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import DecodeError
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span as PbSpan
from opentelemetry.proto.trace.v1.trace_pb2 import Status

from provgraph.core.domain.errors import BadUserInput, PayloadTooLarge

PROTOBUF = "application/x-protobuf"
JSON = "application/json"
# Nested attribute values deeper than this are kept as their JSON text.
MAX_VALUE_DEPTH = 8


class UnsupportedMediaType(BadUserInput):
    code = "UNSUPPORTED_MEDIA_TYPE"
    http_status = 415


@dataclass(frozen=True)
class Link:
    trace_id: str
    span_id: str


@dataclass
class Span:
    """One span, ids as lowercase hex, times in Unix nanoseconds, attributes as JSON values."""

    trace_id: str
    span_id: str
    parent_span_id: str | None
    name: str
    kind: int
    start_ns: int
    end_ns: int
    attributes: dict[str, Any]
    status_code: int = 0  # 0 unset, 1 ok, 2 error
    status_message: str = ""
    links: list[Link] = field(default_factory=list)
    service: str | None = None
    scope: str | None = None
    # Where the span was in the request (resource, scope, span), for rejection messages.
    position: str = ""

    @property
    def failed(self) -> bool:
        return self.status_code == Status.STATUS_CODE_ERROR


@dataclass(frozen=True)
class Rejected:
    position: str
    reason: str


def media_type(content_type: str | None) -> str:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    if kind in (PROTOBUF, JSON):
        return kind
    raise UnsupportedMediaType(
        f"content type must be {PROTOBUF} or {JSON} (got {kind[:80] or 'none'!r})",
        field="content-type",
    )


def decompress(body: bytes, encoding: str | None, max_bytes: int) -> bytes:
    """The body as sent before ``Content-Encoding`` (gzip or none), at most ``max_bytes``."""
    kind = (encoding or "identity").strip().lower()
    if kind == "identity":
        return body
    if kind != "gzip":
        raise UnsupportedMediaType(
            f"content encoding must be gzip or identity (got {kind[:40]!r})",
            field="content-encoding",
        )
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise BadUserInput(f"the gzip body is corrupt: {exc}", field="body") from None
    if len(out) > max_bytes or inflater.unconsumed_tail:
        raise PayloadTooLarge(f"request body larger than {max_bytes} bytes once decompressed")
    if not inflater.eof:
        raise BadUserInput("the gzip body is truncated", field="body")
    return out


def decode(body: bytes, kind: str) -> ExportTraceServiceRequest:
    return decode_protobuf(body) if kind == PROTOBUF else decode_json(body)


def decode_protobuf(body: bytes) -> ExportTraceServiceRequest:
    request = ExportTraceServiceRequest()
    try:
        request.ParseFromString(body)
    except DecodeError as exc:
        raise BadUserInput(f"malformed protobuf: {exc}", field="body") from None
    return request


def _hex_to_b64(value: Any, where: str) -> Any:
    if not isinstance(value, str):
        return value
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raise BadUserInput(f"{where} is not hex: {value[:40]!r}", field="body") from None
    return base64.b64encode(raw).decode("ascii")


_ID_KEYS = ("traceId", "trace_id", "spanId", "span_id", "parentSpanId", "parent_span_id")


def decode_json(body: bytes) -> ExportTraceServiceRequest:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadUserInput(f"malformed JSON: {exc}", field="body") from None
    if not isinstance(document, dict):
        raise BadUserInput("an OTLP JSON request is an object with resourceSpans", field="body")
    try:
        for rs in document.get("resourceSpans") or document.get("resource_spans") or []:
            for ss in rs.get("scopeSpans") or rs.get("scope_spans") or []:
                for span in ss.get("spans") or []:
                    for item in (span, *(span.get("links") or [])):
                        for key in _ID_KEYS:
                            if key in item:
                                item[key] = _hex_to_b64(item[key], key)
        request = ExportTraceServiceRequest()
        json_format.ParseDict(document, request, ignore_unknown_fields=True)
        return request
    except (json_format.ParseError, AttributeError, TypeError) as exc:
        raise BadUserInput(f"not an OTLP JSON trace request: {exc}", field="body") from None


def value_of(value: AnyValue, depth: int = 0) -> Any:
    which = value.WhichOneof("value")
    if which is None:
        return None
    if which == "bytes_value":
        return base64.b64encode(value.bytes_value).decode("ascii")
    if which == "array_value":
        if depth >= MAX_VALUE_DEPTH:
            return json_format.MessageToJson(value)
        return [value_of(v, depth + 1) for v in value.array_value.values]
    if which == "kvlist_value":
        if depth >= MAX_VALUE_DEPTH:
            return json_format.MessageToJson(value)
        return attributes_of(value.kvlist_value.values, depth + 1)
    result = getattr(value, which)
    if which == "double_value" and result != result:  # NaN has no JSON
        return None
    if which == "double_value" and result in (float("inf"), float("-inf")):
        return str(result)
    return result


def attributes_of(items: Any, depth: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kv in items:
        assert isinstance(kv, KeyValue)
        out[kv.key] = value_of(kv.value, depth)
    return out


def _id(raw: bytes, size: int) -> str | None:
    """Hex of a valid id (``size`` bytes, not all zero), else None."""
    if len(raw) != size or not any(raw):
        return None
    return raw.hex()


def spans_of(request: ExportTraceServiceRequest) -> tuple[list[Span], list[Rejected]]:
    spans: list[Span] = []
    rejected: list[Rejected] = []
    for r, rs in enumerate(request.resource_spans):
        resource = attributes_of(rs.resource.attributes)
        service = resource.get("service.name")
        for s, ss in enumerate(rs.scope_spans):
            for i, pb in enumerate(ss.spans):
                assert isinstance(pb, PbSpan)
                where = f"resourceSpans[{r}].scopeSpans[{s}].spans[{i}]"
                trace_id = _id(pb.trace_id, 16)
                span_id = _id(pb.span_id, 8)
                parent = _id(pb.parent_span_id, 8) if pb.parent_span_id else None
                if trace_id is None:
                    rejected.append(Rejected(where, "traceId is missing or not 16 bytes"))
                    continue
                if span_id is None:
                    rejected.append(Rejected(where, "spanId is missing or not 8 bytes"))
                    continue
                if pb.parent_span_id and parent is None:
                    rejected.append(Rejected(where, "parentSpanId is not 8 bytes"))
                    continue
                links = [
                    Link(link.trace_id.hex(), link.span_id.hex())
                    for link in pb.links
                    if _id(link.trace_id, 16) and _id(link.span_id, 8)
                ]
                spans.append(
                    Span(
                        trace_id=trace_id,
                        span_id=span_id,
                        parent_span_id=parent,
                        name=pb.name,
                        kind=pb.kind,
                        start_ns=pb.start_time_unix_nano,
                        end_ns=pb.end_time_unix_nano,
                        attributes=attributes_of(pb.attributes),
                        status_code=pb.status.code,
                        status_message=pb.status.message,
                        links=links,
                        service=service if isinstance(service, str) else None,
                        scope=ss.scope.name or None,
                        position=where,
                    )
                )
    return spans, rejected


def response(kind: str, rejected: int, message: str) -> tuple[bytes, str]:
    """The ExportTraceServiceResponse body in the request's encoding."""
    reply = ExportTraceServiceResponse()
    if rejected or message:
        reply.partial_success.rejected_spans = rejected
        reply.partial_success.error_message = message
    if kind == PROTOBUF:
        return reply.SerializeToString(), PROTOBUF
    return json.dumps(json_format.MessageToDict(reply)).encode(), JSON
