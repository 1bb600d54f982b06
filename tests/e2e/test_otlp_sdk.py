"""The real OpenTelemetry SDK and its OTLP/HTTP exporter, sending GenAI spans to a served
provgraph (a `provgraph serve` process), read back over GraphQL."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
from opentelemetry.trace import Status, StatusCode

from tests.engines import EngineTarget
from tests.served import served

RUN_QUERY = """query($id: String!) { run(id: $id) { sessionId status nodeCount
  nodes(first: 50) { edges { node { id kind step toolName tokens } } } } }"""


def record_agent(provider: TracerProvider) -> str:
    tracer = provider.get_tracer("my-agent")
    with tracer.start_as_current_span(
        "invoke_agent planner",
        attributes={
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.agent.name": "planner",
            "gen_ai.conversation.id": "conv-sdk",
        },
    ) as agent:
        with tracer.start_as_current_span(
            "chat gpt-4o",
            attributes={
                "gen_ai.operation.name": "chat",
                "gen_ai.request.model": "gpt-4o",
                "gen_ai.usage.input_tokens": 10,
                "gen_ai.usage.output_tokens": 5,
            },
        ):
            pass
        with tracer.start_as_current_span(
            "execute_tool lookup",
            attributes={
                "gen_ai.operation.name": "execute_tool",
                "gen_ai.tool.name": "lookup",
                "gen_ai.tool.call.id": "call-9",
                "gen_ai.tool.call.arguments": '{"key": 1}',
                "gen_ai.tool.call.result": "found",
            },
        ) as tool:
            tool.set_status(Status(StatusCode.OK))
        with (
            tracer.start_as_current_span(
                "invoke_agent checker", attributes={"gen_ai.operation.name": "invoke_agent"}
            ),
            tracer.start_as_current_span(
                "chat small", attributes={"gen_ai.operation.name": "chat"}
            ),
        ):
            pass
        return format(agent.get_span_context().trace_id, "032x")


def gql(url: str, query: str, **variables: object) -> dict[str, object]:
    response = httpx.post(f"{url}/graphql", json={"query": query, "variables": variables})
    body = response.json()
    assert "errors" not in body, body
    data: dict[str, object] = body["data"]
    return data


def test_the_sdk_exporter_records_runs(tmp_path: Path, engine_target: EngineTarget) -> None:
    if not engine_target.starts_locally:
        pytest.skip("serves on an engine provgraph starts itself")
    with served(tmp_path / "data", engine=engine_target.settings_engine) as server:
        resource = Resource.create({"service.name": "sdk-test"})
        # One request per span (children first), then one batched, gzipped request.
        simple = TracerProvider(resource=resource)
        simple.add_span_processor(
            SimpleSpanProcessor(OTLPSpanExporter(endpoint=f"{server.url}/v1/traces"))
        )
        first = record_agent(simple)
        simple.shutdown()
        batched = TracerProvider(resource=resource)
        batched.add_span_processor(
            BatchSpanProcessor(
                OTLPSpanExporter(endpoint=f"{server.url}/v1/traces", compression=Compression.Gzip)
            )
        )
        second = record_agent(batched)
        batched.force_flush()
        batched.shutdown()

        # Sent span by span, the sub-agent's chat ended (and arrived) before the sub-agent's
        # own span: it waits in the trace's run (README: spans whose parent is unknown).
        expected = {
            first: ["DECISION", "DECISION", "INPUT", "TOOL_CALL", "TOOL_RESULT"],
            second: ["DECISION", "INPUT", "TOOL_CALL", "TOOL_RESULT"],
        }
        for trace_id in (first, second):
            run = gql(server.url, RUN_QUERY, id=f"otel-{trace_id}")["run"]
            assert isinstance(run, dict)
            assert run["sessionId"] == "conv-sdk"
            assert run["status"] == "SUCCEEDED"
            kinds = sorted(e["node"]["kind"] for e in run["nodes"]["edges"])
            assert kinds == expected[trace_id], (trace_id, kinds)
            tool = next(
                e["node"] for e in run["nodes"]["edges"] if e["node"]["kind"] == "TOOL_CALL"
            )
            assert tool["toolName"] == "lookup"
