"""The bench's OTLP bodies: the workload's runs as the spans otlpDocument writes."""

from __future__ import annotations

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from bench.sections.otlp import otlp_body
from bench.workload import make_run
from provgraph.ingest.spans import spans_of


def test_a_workload_run_is_one_trace_of_genai_spans() -> None:
    run = make_run(7, 0, prefix="t-")
    request = ExportTraceServiceRequest.FromString(otlp_body(run))
    spans, rejected = spans_of(request)
    assert rejected == []
    assert len({s.trace_id for s in spans}) == 1
    results = sum(1 for n in run.nodes if n.kind == "TOOL_RESULT")
    assert len(spans) == 1 + len(run.nodes) - results  # run span; results fold into calls
    ops = {s.attributes.get("gen_ai.operation.name") for s in spans}
    assert {"invoke_agent", "chat", "execute_tool"} <= ops
