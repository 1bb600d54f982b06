"""API keys over HTTP: who may call, as which tenant, with which status code."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from provgraph.app import create_app
from provgraph.config import Settings
from provgraph.engine.connection import Engine
from tests.app_state import key_service
from tests.graphql_client import gql

VIEWER = "{ viewer { tenant readOnly keyId } }"


@pytest.fixture
async def keyed_app(settings: Settings, engine: Engine) -> AsyncIterator[Starlette]:
    application = create_app(settings.model_copy(update={"require_api_keys": True}), engine=engine)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def keyed(keyed_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=keyed_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://provgraph.test") as c:
        yield c


async def _key(app: Starlette, tenant: str, read_only: bool = False) -> tuple[str, str]:
    record, token = await key_service(app).create(tenant, read_only=read_only)
    return record.id, token


async def test_no_key_is_401_unauthenticated(keyed: httpx.AsyncClient) -> None:
    response = await keyed.post("/graphql", json={"query": VIEWER})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Basic dXNlcjpwdw==", "Bearer pgk_0000000000000000_" + "A" * 43, "Bearer x'--"],
)
async def test_bad_credentials_are_401(keyed: httpx.AsyncClient, header: str) -> None:
    response = await keyed.post(
        "/graphql", json={"query": VIEWER}, headers={"Authorization": header}
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_key_acts_as_its_tenant(
    keyed: httpx.AsyncClient, keyed_app: Starlette, tenant: str
) -> None:
    key_id, token = await _key(keyed_app, tenant, read_only=True)
    body = await gql(keyed, VIEWER, headers={"Authorization": f"Bearer {token}"})
    assert body["data"]["viewer"] == {"tenant": tenant, "readOnly": True, "keyId": key_id}


async def test_a_revoked_key_stops_working_at_once(
    keyed: httpx.AsyncClient, keyed_app: Starlette, tenant: str
) -> None:
    key_id, token = await _key(keyed_app, tenant)
    auth = {"Authorization": f"Bearer {token}"}
    assert (await keyed.post("/graphql", json={"query": VIEWER}, headers=auth)).status_code == 200
    await key_service(keyed_app).revoke(key_id)
    assert (await keyed.post("/graphql", json={"query": VIEWER}, headers=auth)).status_code == 401


async def test_asking_for_another_tenant_is_403(
    keyed: httpx.AsyncClient, keyed_app: Starlette, tenant: str
) -> None:
    _, token = await _key(keyed_app, tenant)
    response = await keyed.post(
        "/graphql",
        json={"query": VIEWER},
        headers={"Authorization": f"Bearer {token}", "X-Provgraph-Tenant": "someone-else"},
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_graphiql_page_needs_no_key(keyed: httpx.AsyncClient) -> None:
    page = await keyed.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


async def test_dev_mode_is_the_dev_tenant_without_a_key_and_the_keys_with_one(
    client: httpx.AsyncClient, app: Starlette, tenant: str
) -> None:
    body = await gql(client, VIEWER)
    assert body["data"]["viewer"] == {"tenant": tenant, "readOnly": False, "keyId": None}
    other = f"{tenant}-other"
    key_id, token = await _key(app, other, read_only=True)
    try:
        body = await gql(client, VIEWER, headers={"Authorization": f"Bearer {token}"})
        assert body["data"]["viewer"]["tenant"] == other
        bad = await client.post(
            "/graphql", json={"query": VIEWER}, headers={"Authorization": "Bearer nope"}
        )
        assert bad.status_code == 401
    finally:
        await key_service(app).revoke(key_id)
