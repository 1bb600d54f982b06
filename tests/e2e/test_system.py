from __future__ import annotations

import httpx

from provgraph import __version__
from tests.graphql_client import error_codes, gql


async def test_server_info_answers(client: httpx.AsyncClient) -> None:
    body = await gql(client, "{ serverInfo { version engine engineAgent } }")
    info = body["data"]["serverInfo"]
    assert info["version"] == __version__
    assert info["engine"] in {"arcadedb-embedded", "neo4j-local", "neo4j"}
    assert "Neo4j/5" in info["engineAgent"]


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json()["status"] == "ok"
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


async def test_graphiql_in_a_browser(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


async def test_unknown_field_is_a_typed_validation_error(client: httpx.AsyncClient) -> None:
    body = await gql(client, "{ serverInfo { nope } }")
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]


async def test_syntax_error_is_typed(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ serverInfo { "})
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["GRAPHQL_PARSE_FAILED"]
