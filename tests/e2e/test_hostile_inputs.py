"""Hostile input against every root field: typed errors only, nothing written on refusal,
nothing outside the caller's tenant touched, and the server keeps serving."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from provgraph.engine.connection import Engine
from provgraph.schema import build_schema
from tests.app_state import app_state
from tests.graphql_client import error_codes, gql
from tests.hostile import probes

# What a client may legitimately be told; INTERNAL_SERVER_ERROR is never among them.
TYPED = {
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "FORBIDDEN",
    "CONFLICT",
    "CYCLE_DETECTED",
    "ALREADY_CLOSED",
    "AGENT_KIND_MISMATCH",
    "VERSION_IMMUTABLE",
    "GATE_FAILED",
    "NO_KNOWN_GOOD_VERSION",
    "CASE_NOT_IN_SUITE",
    "GRAPHQL_VALIDATION_FAILED",
    "PAYLOAD_TOO_LARGE",
    # HTTP 400 with a GraphQL error body: a request body that is not a GraphQL request's JSON.
    "BAD_REQUEST",
    "QUERY_TOO_COSTLY",
}


async def _footprint(engine: Engine, tenant: str) -> tuple[int, int]:
    records, _, _ = await engine.driver.execute_query(
        "MATCH (n {tenant: $tenant}) OPTIONAL MATCH (n)-[r]->() "
        "RETURN count(DISTINCT n) AS nodes, count(r) AS rels",
        tenant=tenant,
        database_=engine.database,
    )
    return records[0]["nodes"], records[0]["rels"]


@pytest.fixture
async def canary(engine: Engine, tenant: str) -> Any:
    """A node of another tenant that no request of this test may touch."""
    other = f"{tenant}-canary"
    await engine.driver.execute_query(
        "CREATE (:Node:Task {tenant: $t, id: 'canary', kind: 'task', title: 'untouched'})",
        t=other,
        database_=engine.database,
    )
    yield other
    await engine.driver.execute_query(
        "MATCH (n {tenant: $t}) DETACH DELETE n", t=other, database_=engine.database
    )


@pytest.mark.slow
async def test_every_root_field_answers_hostile_input_with_typed_errors(
    client: httpx.AsyncClient, app: Starlette, engine: Engine, tenant: str, canary: str
) -> None:
    schema = build_schema()._schema
    failures: list[str] = []
    for probe in probes(schema):
        before = await _footprint(engine, tenant)
        try:
            response = await client.post(
                "/graphql", content=probe.body(), headers={"content-type": "application/json"}
            )
        except Exception as exc:  # the app raised through the ASGI transport: a 500
            failures.append(f"{probe.label}: server raised {type(exc).__name__}: {exc}"[:300])
            continue
        if response.status_code >= 500:
            failures.append(f"{probe.label}: HTTP {response.status_code}")
            continue
        if not response.headers.get("content-type", "").startswith("application/json"):
            failures.append(f"{probe.label}: HTTP {response.status_code} {response.text[:80]}")
            continue
        body = response.json()
        if response.status_code != 200 and not error_codes(body):
            failures.append(f"{probe.label}: HTTP {response.status_code} without a typed error")
        untyped = [c for c in error_codes(body) if c not in TYPED]
        if untyped:
            messages = [e["message"] for e in body["errors"]]
            failures.append(f"{probe.label}: {untyped} {messages}")
        refused = body.get("errors") and not any((body.get("data") or {}).values())
        if probe.operation == "mutation" and refused:
            after = await _footprint(engine, tenant)
            if after != before:
                failures.append(f"{probe.label}: refused but wrote {before} -> {after}")
    assert not failures, "\n".join(failures[:40])
    assert await _footprint(engine, canary) == (1, 0)
    records, _, _ = await engine.driver.execute_query(
        "MATCH (n:Task {tenant: $t, id: 'canary'}) RETURN n.title AS title",
        t=canary,
        database_=engine.database,
    )
    assert [r["title"] for r in records] == ["untouched"]
    assert (await gql(client, "{ serverInfo { version } }"))["data"]["serverInfo"]


async def test_many_aliases_are_refused(client: httpx.AsyncClient) -> None:
    aliased = "{ " + " ".join(f"a{i}: serverInfo {{ version }}" for i in range(200)) + " }"
    body = await gql(client, aliased)
    assert "GRAPHQL_VALIDATION_FAILED" in error_codes(body)
    assert body["data"] is None


async def test_huge_token_counts_are_refused(client: httpx.AsyncClient) -> None:
    noisy = "{ serverInfo { " + " ".join(["version"] * 6000) + " } }"
    body = await gql(client, noisy)
    # The token limit stops the parser itself, before any validation.
    assert error_codes(body) == ["GRAPHQL_PARSE_FAILED"]
    assert "more than" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        ("query ($ids: [ID!]!) { nodes(ids: $ids) { __typename } }", {"ids": 7}),
        ("query ($ids: [ID!]!) { nodes(ids: $ids) { __typename } }", {"ids": [None]}),
        ("query ($id: ID!) { node(id: $id) { __typename } }", {"id": {"nested": "map"}}),
    ],
)
async def test_wrong_types_are_bad_user_input(
    client: httpx.AsyncClient, document: str, variables: dict[str, Any]
) -> None:
    body = await gql(client, document, variables)
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_too_many_node_ids_are_refused(client: httpx.AsyncClient) -> None:
    body = await gql(
        client,
        "query ($ids: [ID!]!) { nodes(ids: $ids) { __typename } }",
        {"ids": ["VGFzazp4"] * 5000},
    )
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_deep_queries_are_refused_before_running(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    level = "nodes(first: 1) { edges { node { run { "
    deep = '{ run(id: "x") { ' + level * 6 + "runId" + " } } } }" * 6 + " } }"
    stats = app_state(app).executor.stats
    before = stats.queries
    body = await gql(client, deep)
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    assert stats.queries == before, "a refused document reached the engine"
