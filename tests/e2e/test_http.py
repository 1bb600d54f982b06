"""GraphQL over HTTP: methods, body limits, CORS."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from provgraph.app import create_app
from provgraph.config import Settings
from provgraph.engine.connection import Engine


async def test_queries_over_get(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ serverInfo { version } }"})
    assert response.status_code == 200
    assert response.json()["data"]["serverInfo"]["version"]


async def test_a_body_over_the_limit_is_413(client: httpx.AsyncClient, settings: Settings) -> None:
    padding = "x" * (settings.max_body_bytes + 10)
    response = await client.post(
        "/graphql", json={"query": "{ serverInfo { version } }", "variables": {"p": padding}}
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_chunked_body_over_the_limit_is_413(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ serverInfo { version } }", "variables": {"p": "'
        for _ in range(settings.max_body_bytes // 65536 + 2):
            yield b"y" * 65536
        yield b'"}}'

    response = await client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_malformed_json_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400


@pytest.fixture
async def cors_client(settings: Settings, engine: Engine) -> AsyncIterator[httpx.AsyncClient]:
    configured = settings.model_copy(update={"cors_origins": ["https://lineage.example"]})
    application: Starlette = create_app(configured, engine=engine)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://provgraph.test") as c:
            yield c


async def test_cors_allows_only_configured_origins(cors_client: httpx.AsyncClient) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    ok = await cors_client.options(
        "/graphql", headers={"Origin": "https://lineage.example", **preflight}
    )
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "https://lineage.example"
    denied = await cors_client.options(
        "/graphql", headers={"Origin": "https://evil.example", **preflight}
    )
    assert "access-control-allow-origin" not in denied.headers


async def test_mutations_over_get_are_refused_and_write_nothing(
    client: httpx.AsyncClient,
) -> None:
    mutation = 'mutation { createTask(input: {namespace: "get", title: "via GET"}) { nativeId } }'
    response = await client.get("/graphql", params={"query": mutation})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    named = await client.get(
        "/graphql",
        params={
            "query": "query Q { viewer { tenant } } " + mutation.replace("mutation", "mutation M"),
            "operationName": "Q",
        },
    )
    assert named.status_code == 200 and named.json()["data"]["viewer"]
    listed = await client.post("/graphql", json={"query": "{ tasks { edges { node { title } } } }"})
    assert listed.json()["data"]["tasks"]["edges"] == []
