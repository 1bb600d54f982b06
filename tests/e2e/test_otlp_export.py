"""otlpDocument: runs out as OTLP/JSON, and back in through /v1/traces into another tenant."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from provgraph.app import create_app
from provgraph.config import Settings
from provgraph.engine.connection import Engine
from provgraph.runs.service import RunService
from tests.app_state import app_state, key_service
from tests.graphql_client import gql
from tests.otlp_fixtures import GENAI_TRACE, SUB, TRACE, request
from tests.runs_fixtures import RECORD, sample_run

RUN = f"otel-{TRACE}"
SUB_RUN = f"otel-{TRACE}-{SUB}-run"
EXPORT = """query($run: String!) {
  otlpDocument(runId: $run) { document runIds elementCount spanCount }
}"""


@dataclass
class Two:
    app: Starlette
    a: httpx.AsyncClient
    b: httpx.AsyncClient
    tenant_a: str
    tenant_b: str


@pytest.fixture
async def two(settings: Settings, engine: Engine, tenant: str) -> AsyncIterator[Two]:
    app: Starlette = create_app(
        settings.model_copy(update={"require_api_keys": True}), engine=engine
    )
    tenant_b = f"{tenant}-copy"
    async with app.router.lifespan_context(app):
        _, key_a = await key_service(app).create(tenant)
        _, key_b = await key_service(app).create(tenant_b)
        transport = httpx.ASGITransport(app=app)
        base = "http://provgraph.test"
        async with (
            httpx.AsyncClient(
                transport=transport, base_url=base, headers={"Authorization": f"Bearer {key_a}"}
            ) as a,
            httpx.AsyncClient(
                transport=transport, base_url=base, headers={"Authorization": f"Bearer {key_b}"}
            ) as b,
        ):
            yield Two(app, a, b, tenant, tenant_b)
    for cleanup in (
        "MATCH (n:Node {tenant: $t}) DETACH DELETE n",
        "MATCH (k:ApiKey {tenant: $t}) DETACH DELETE k",
    ):
        await engine.driver.execute_query(cleanup, t=tenant_b, database_=engine.database)


async def export(client: httpx.AsyncClient, run: str) -> dict[str, Any]:
    body = await gql(client, EXPORT, {"run": run})
    assert "errors" not in body, body
    answer: dict[str, Any] = body["data"]["otlpDocument"]
    return answer


async def ingest(client: httpx.AsyncClient, document: str) -> None:
    response = await client.post(
        "/v1/traces", content=document.encode(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert not response.json().get("partialSuccess"), response.text


async def snapshot(app: Starlette, tenant: str, run_id: str) -> dict[str, Any]:
    """A run graph as comparable data: the run, every node's fields, every edge."""
    service = app_state(app).services.get(RunService)
    sub = await service.subgraph(tenant, run_id, None)
    r = sub.run
    nodes = sorted(
        (
            n.id,
            n.kind,
            n.step,
            n.text,
            n.json_text,
            n.occurred_at,
            n.tokens,
            n.cost,
            n.latency_ms,
            n.tool_name,
            n.arguments,
            n.tool_status,
            n.error,
            n.hash,
        )
        for n in sub.nodes
    )
    edges = sorted((e.kind.value, e.source, e.target) for e in sub.edges)
    run = (r.id, r.status, r.started_at, r.ended_at, r.metadata, r.session_id, r.root_digest)
    return {"run": run, "nodes": nodes, "edges": edges}


def spans(document: str) -> dict[str, dict[str, Any]]:
    out = {}
    for rs in json.loads(document)["resourceSpans"]:
        for ss in rs["scopeSpans"]:
            for span in ss["spans"]:
                out[span["spanId"]] = span
    return out


def attrs(span: dict[str, Any]) -> dict[str, Any]:
    return {kv["key"]: next(iter(kv["value"].values())) for kv in span["attributes"]}


async def test_an_otlp_trace_round_trips_through_another_tenant(two: Two) -> None:
    body = request(*GENAI_TRACE).SerializeToString()
    sent = await two.a.post(
        "/v1/traces", content=body, headers={"content-type": "application/x-protobuf"}
    )
    assert sent.status_code == 200, sent.text
    docs = {run: await export(two.a, run) for run in (RUN, SUB_RUN)}
    top = docs[RUN]
    assert top["runIds"] == [RUN]
    # Five spans in the trace's run (the tool result folds into its execute_tool span).
    assert top["spanCount"] == 4 and docs[SUB_RUN]["spanCount"] == 2
    by_id = spans(top["document"])
    assert {s["traceId"] for s in by_id.values()} == {TRACE}
    tool = attrs(by_id["a000000000000003"])
    assert tool["gen_ai.tool.name"] == "web_search"
    assert tool["gen_ai.tool.call.result"] == "W3C PROV is a family of documents"
    assert by_id["a000000000000003"]["links"][0]["spanId"] == "a000000000000002"

    for doc in docs.values():
        await ingest(two.b, doc["document"])
    for run in (RUN, SUB_RUN):
        a = await snapshot(two.app, two.tenant_a, run)
        b = await snapshot(two.app, two.tenant_b, run)
        assert a == b, run
    # The cross-run edge (the sub-agent's span under the agent's) came back too.
    service = app_state(two.app).services.get(RunService)
    [sub_node] = await service.get_nodes(two.tenant_b, [f"otel-{TRACE}-{SUB}"])
    assert sub_node.run_id == SUB_RUN
    # Export → ingest → export: the same document; an exporter's retry changes nothing.
    assert (await export(two.b, RUN))["document"] == top["document"]
    await ingest(two.b, top["document"])
    assert await snapshot(two.app, two.tenant_b, RUN) == await snapshot(two.app, two.tenant_a, RUN)


async def test_a_recorded_run_goes_out_as_genai_spans(two: Two) -> None:
    body = await gql(two.a, RECORD, {"input": sample_run("r1")})
    assert "errors" not in body, body
    doc = await export(two.a, "r1")
    assert doc["elementCount"] == 1 + 8 + 7
    # The run's invoke_agent span plus one span per node but the folded tool result.
    assert doc["spanCount"] == 1 + 7
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for span in spans(doc["document"]).values():
        by_kind.setdefault(attrs(span).get("provgraph.node.kind", "run"), []).append(span)
    [run_span] = by_kind["run"]
    assert attrs(run_span)["gen_ai.operation.name"] == "invoke_agent"
    assert attrs(run_span)["gen_ai.agent.id"] == "agent-x"
    assert "parentSpanId" not in run_span
    d1 = next(s for s in by_kind["decision"] if attrs(s)["provgraph.node.id"] == "r1:d1")
    assert attrs(d1)["gen_ai.operation.name"] == "chat"
    assert attrs(d1)["gen_ai.output.messages"] == "Look up the weather"
    assert attrs(d1)["gen_ai.usage.cost"] == 0.001 and attrs(d1)["provgraph.tokens"] == "12"
    [call] = by_kind["tool_call"]
    assert attrs(call)["gen_ai.tool.name"] == "weather"
    assert attrs(call)["gen_ai.tool.call.result"] == "22C"
    assert call["parentSpanId"] == d1["spanId"]  # d1 -triggered-> call
    [inp] = by_kind["input"]
    assert inp["parentSpanId"] == run_span["spanId"]
    # in -influenced-> d1 and d1 -consumed-> mem: links from d1's span to their causes.
    kinds_of_links = sorted(x["attributes"][0]["value"]["stringValue"] for x in d1["links"])
    assert kinds_of_links == ["consumed", "influenced"]

    # Any OTLP receiver takes it; provgraph's own makes a run of the same shape.
    await ingest(two.b, doc["document"])
    service = app_state(two.app).services.get(RunService)
    trace = run_span["traceId"]
    sub = await service.subgraph(two.tenant_b, f"otel-{trace}", None)
    kinds = sorted(n.kind for n in sub.nodes)
    assert kinds.count("decision") == 2 and kinds.count("tool_call") == 1
    assert kinds.count("tool_result") == 1
    assert len(sub.nodes) == 1 + 7 + 1  # the run span's node, seven spans, one tool result
    assert len(sub.edges) >= 7


async def test_otlp_document_of_a_missing_run_is_not_found(two: Two) -> None:
    body = await gql(two.a, EXPORT, {"run": "nope"})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
