"""OTLP/HTTP trace ingest over the ASGI app: GenAI spans in, runs out; bad input refused."""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse
from starlette.applications import Starlette

from provgraph.app import create_app
from provgraph.config import Settings
from provgraph.engine.connection import Engine
from provgraph.runs.service import RunService
from tests.app_state import app_state, key_service
from tests.otlp_fixtures import (
    AGENT,
    CHAT1,
    CHAT2,
    GENAI_TRACE,
    SUB,
    SUBCHAT,
    TOOL,
    TRACE,
    S,
    json_request,
    request,
)

PB = {"content-type": "application/x-protobuf"}
RUN = f"otel-{TRACE}"


def nid(span: str) -> str:
    return f"otel-{TRACE}-{span}"


def runs(app: Starlette) -> RunService:
    return app_state(app).services.get(RunService)


async def send(client: httpx.AsyncClient, *spans: S) -> ExportTraceServiceResponse:
    response = await client.post(
        "/v1/traces", content=request(*spans).SerializeToString(), headers=PB
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-protobuf"
    return ExportTraceServiceResponse.FromString(response.content)


async def edges_of(app: Starlette, tenant: str, run: str) -> set[tuple[str, str, str]]:
    graph = await runs(app).subgraph(tenant, run, None)
    return {(e.kind.value, e.source, e.target) for e in graph.edges}


async def test_genai_trace_maps_to_a_run_with_a_sub_run(
    client: httpx.AsyncClient, app: Starlette, tenant: str
) -> None:
    reply = await send(client, *GENAI_TRACE)
    assert reply.partial_success.rejected_spans == 0
    service = runs(app)
    run = await service.require_run(tenant, RUN)
    assert run.session_id == "conv-1"
    assert run.status == "succeeded"
    meta = json.loads(run.metadata or "{}")
    assert meta["agent"]["name"] == "researcher" and meta["service"] == "agent-app"
    nodes = {n.id: n for n in await service.get_nodes(tenant, [nid(s.span) for s in GENAI_TRACE])}
    assert nodes[nid(AGENT)].kind == "input" and nodes[nid(AGENT)].run_id == RUN
    chat = nodes[nid(CHAT1)]
    assert (chat.kind, chat.tokens, chat.cost) == ("decision", 150, 0.0021)
    assert json.loads(chat.json_text or "")["attributes"]["gen_ai.request.model"] == "gpt-4o"
    tool = nodes[nid(TOOL)]
    assert (tool.kind, tool.tool_name, tool.tool_status) == ("tool_call", "web_search", "ok")
    assert json.loads(tool.arguments or "") == {"q": "provenance"}
    [result] = await service.get_nodes(tenant, [nid(TOOL) + "-result"])
    assert result.text == "W3C PROV is a family of documents"
    assert json.loads(result.json_text or "")["gen_ai.tool.call.id"] == "call_1"
    assert [nodes[nid(s)].step for s in (AGENT, CHAT1, TOOL, CHAT2)] == [0, 1, 2, 3]
    sub_run = f"{nid(SUB)}-run"
    assert nodes[nid(SUB)].run_id == sub_run and nodes[nid(SUBCHAT)].run_id == sub_run
    sub = await service.require_run(tenant, sub_run)
    assert json.loads(sub.metadata or "")["parent_run_id"] == RUN
    edges = await edges_of(app, tenant, RUN)
    assert ("triggered", nid(AGENT), nid(CHAT1)) in edges
    assert ("influenced", nid(CHAT1), nid(TOOL)) in edges  # the span link
    assert ("produced", nid(TOOL), nid(TOOL) + "-result") in edges
    assert ("triggered", nid(SUB), nid(SUBCHAT)) in await edges_of(app, tenant, sub_run)
    lineage = await service.traverse(tenant, nid(SUBCHAT), ancestors=True, depth=5)
    assert nid(AGENT) in {n.id for n in lineage.nodes}


async def test_an_exporter_retry_changes_nothing(
    client: httpx.AsyncClient, app: Starlette, tenant: str
) -> None:
    await send(client, *GENAI_TRACE)
    before = await runs(app).require_run(tenant, RUN)
    reply = await send(client, *GENAI_TRACE)
    assert reply.partial_success.rejected_spans == 0
    after = await runs(app).require_run(tenant, RUN)
    assert (after.node_count, after.edge_count, after.root_digest) == (
        before.node_count,
        before.edge_count,
        before.root_digest,
    )


async def test_spans_of_one_trace_in_several_requests_join_one_run(
    client: httpx.AsyncClient, app: Starlette, tenant: str
) -> None:
    by_id = {s.span: s for s in GENAI_TRACE}
    # Children end first, so exporters send them first.
    await send(client, by_id[CHAT1], by_id[TOOL])
    await send(client, by_id[AGENT], by_id[CHAT2])
    service = runs(app)
    nodes = await service.get_nodes(tenant, [nid(s) for s in (AGENT, CHAT1, TOOL, CHAT2)])
    assert {n.run_id for n in nodes} == {RUN}
    edges = await edges_of(app, tenant, RUN)
    # The parent arrived after its children: the edges are recorded when it does.
    assert ("triggered", nid(AGENT), nid(CHAT1)) in edges
    assert ("triggered", nid(AGENT), nid(TOOL)) in edges
    run = await service.require_run(tenant, RUN)
    assert run.session_id == "conv-1" and run.status == "succeeded"


OTHER = "6b8aa5a2d2c872e8321cf37308d69df2"
THIRD = "7c9bb6b3e3d983f9432d048419e7ae03"


async def test_several_traces_of_one_request_are_written_in_one_transaction(
    client: httpx.AsyncClient, app: Starlette, tenant: str
) -> None:
    """An exporter's batch of traces is planned from two lookups and written in one
    transaction; each trace is still its own run."""
    warm = "8dacc7c4f4ea94fa543e159520f8bf14"
    await send(client, S("a000000000000009", "the tenant's first write", trace=warm))
    executor = app_state(app).executor
    before = executor.stats.transactions
    reply = await send(
        client,
        *GENAI_TRACE,
        S("b000000000000001", "other trace", trace=OTHER),
        S("c000000000000001", "third trace", trace=THIRD),
    )
    assert reply.partial_success.rejected_spans == 0
    # get_nodes, get_runs (reads), record_all (the write).
    assert executor.stats.transactions - before == 3
    for run_id, nodes in ((f"otel-{OTHER}", 1), (f"otel-{THIRD}", 1)):
        assert (await runs(app).require_run(tenant, run_id)).node_count == nodes
        assert (await runs(app).verify(tenant, run_id)).ok
    assert (await runs(app).verify(tenant, RUN)).ok
    again = await send(client, *GENAI_TRACE)
    assert again.partial_success.rejected_spans == 0


async def test_a_link_to_another_trace_of_the_same_request_is_recorded(
    client: httpx.AsyncClient, app: Starlette, tenant: str
) -> None:
    """Traces linked to each other within one request are recorded one after the other, so
    the link finds the span of the earlier trace."""
    first = S("d000000000000001", "first", trace=OTHER)
    linked = S("e000000000000001", "linked", trace=THIRD, links=[(OTHER, "d000000000000001")])
    reply = await send(client, first, linked)
    assert reply.partial_success.rejected_spans == 0
    query = (
        '{ ancestors(nodeId: "otel-%s-e000000000000001", depth: 1) { nodes { node { nodeId } } } }'
    )
    response = await client.post("/graphql", json={"query": query % THIRD})
    assert "errors" not in response.json(), response.json()
    causes = [n["node"]["nodeId"] for n in response.json()["data"]["ancestors"]["nodes"]]
    assert causes == [f"otel-{OTHER}-d000000000000001"]


async def test_otlp_json_and_gzip(client: httpx.AsyncClient, app: Starlette, tenant: str) -> None:
    body = gzip.compress(json_request(*GENAI_TRACE))
    response = await client.post(
        "/v1/traces",
        content=body,
        headers={"content-type": "application/json", "content-encoding": "gzip"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {}
    [tool] = await runs(app).get_nodes(tenant, [nid(TOOL)])
    assert tool.tool_name == "web_search"
    # The protobuf encoding of the same spans is the same graph: nothing new.
    reply = await send(client, *GENAI_TRACE)
    assert reply.partial_success.rejected_spans == 0
    assert (await runs(app).require_run(tenant, RUN)).node_count == 5


async def test_spans_with_missing_ids_are_rejected_alone(
    client: httpx.AsyncClient, app: Starlette, tenant: str
) -> None:
    req = request(*GENAI_TRACE[:2])
    bad = req.resource_spans[0].scope_spans[0].spans.add()
    bad.name = "no ids"
    response = await client.post("/v1/traces", content=req.SerializeToString(), headers=PB)
    reply = ExportTraceServiceResponse.FromString(response.content)
    assert reply.partial_success.rejected_spans == 1
    assert "spans[2]: traceId is missing" in reply.partial_success.error_message
    assert (await runs(app).require_run(tenant, RUN)).node_count == 2


async def test_a_trace_the_graph_refuses_is_rejected_whole(
    client: httpx.AsyncClient, app: Starlette, tenant: str
) -> None:
    # The agent span links to its own child: parent -> child -> parent is a cycle.
    agent = S(
        AGENT,
        "invoke_agent a",
        attrs={"gen_ai.operation.name": "invoke_agent"},
        links=[(TRACE, CHAT1)],
    )
    chat = S(CHAT1, "chat m", AGENT, {"gen_ai.operation.name": "chat"}, start=1)
    other = S("b000000000000001", "other trace", trace="6b8aa5a2d2c872e8321cf37308d69df2")
    reply = await send(client, agent, chat, other)
    assert reply.partial_success.rejected_spans == 2
    assert f"trace {TRACE}" in reply.partial_success.error_message
    assert await runs(app).get_run(tenant, RUN) is None
    assert await runs(app).get_run(tenant, "otel-6b8aa5a2d2c872e8321cf37308d69df2") is not None


@pytest.mark.parametrize(
    ("body", "headers", "status", "code"),
    [
        (b"\xff\xff\xff\xff", PB, 400, "BAD_USER_INPUT"),
        (b"{not json", {"content-type": "application/json"}, 400, "BAD_USER_INPUT"),
        (b'{"resourceSpans": 3}', {"content-type": "application/json"}, 400, "BAD_USER_INPUT"),
        (b"x", {"content-type": "text/plain"}, 415, "UNSUPPORTED_MEDIA_TYPE"),
        (
            b"x",
            {"content-type": "application/x-protobuf", "content-encoding": "br"},
            415,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            b"not gzip",
            {"content-type": "application/x-protobuf", "content-encoding": "gzip"},
            400,
            "BAD_USER_INPUT",
        ),
        (b"x" * (10 * 1024 * 1024 + 1), PB, 413, "PAYLOAD_TOO_LARGE"),
    ],
)
async def test_bad_requests_are_typed_errors_and_write_nothing(
    client: httpx.AsyncClient,
    app: Starlette,
    tenant: str,
    body: bytes,
    headers: dict[str, str],
    status: int,
    code: str,
) -> None:
    response = await client.post("/v1/traces", content=body, headers=headers)
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"] == code
    assert (
        await runs(app).subgraph(tenant, RUN, None)
        if await runs(app).get_run(tenant, RUN)
        else None
    ) is None


async def test_a_gzip_bomb_is_too_large(client: httpx.AsyncClient) -> None:
    body = gzip.compress(b"\0" * (11 * 1024 * 1024))
    response = await client.post(
        "/v1/traces", content=body, headers={**PB, "content-encoding": "gzip"}
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


@pytest.fixture
async def keyed_app(settings: Settings, engine: Engine) -> AsyncIterator[Starlette]:
    application = create_app(settings.model_copy(update={"require_api_keys": True}), engine=engine)
    async with application.router.lifespan_context(application):
        yield application


async def test_keys_are_checked_like_graphql(keyed_app: Starlette, tenant: str) -> None:
    body = request(*GENAI_TRACE).SerializeToString()
    transport = httpx.ASGITransport(app=keyed_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://provgraph.test") as c:
        response = await c.post("/v1/traces", content=body, headers=PB)
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        _, reader = await key_service(keyed_app).create(tenant, read_only=True)
        response = await c.post(
            "/v1/traces", content=body, headers={**PB, "authorization": f"Bearer {reader}"}
        )
        assert response.status_code == 403
        assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert await runs(keyed_app).get_run(tenant, RUN) is None
        _, writer = await key_service(keyed_app).create(tenant)
        response = await c.post(
            "/v1/traces", content=body, headers={**PB, "authorization": f"Bearer {writer}"}
        )
        assert response.status_code == 200
        assert await runs(keyed_app).get_run(tenant, RUN) is not None


async def test_an_otlp_write_is_audited_and_a_retry_adds_no_event(
    client: httpx.AsyncClient,
) -> None:
    query = """{ auditEvents(filter: {action: "ingestOtlpTraces"}, first: 50) {
      edges { node { action keyId correlationId } } } }"""
    await send(client, *GENAI_TRACE)
    body = (await client.post("/graphql", json={"query": query})).json()
    assert "errors" not in body, body
    first = [e["node"] for e in body["data"]["auditEvents"]["edges"]]
    assert first and all(e["action"] == "ingestOtlpTraces" for e in first)
    assert all(e["correlationId"] for e in first)
    await send(client, *GENAI_TRACE)  # nothing changes: no new event
    again = (await client.post("/graphql", json={"query": query})).json()
    assert len(again["data"]["auditEvents"]["edges"]) == len(first)
