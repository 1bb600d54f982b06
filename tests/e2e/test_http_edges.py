"""The HTTP edge: the Host check (DNS rebinding), page security headers, step bounds."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from provgraph.app import create_app
from provgraph.config import Settings
from provgraph.core.api.hosts import allowed_hosts, host_name
from provgraph.engine.connection import Engine
from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import RECORD, sample_run


@pytest.fixture
async def dev_app(settings: Settings, engine: Engine) -> AsyncIterator[Starlette]:
    """A dev-mode app with the default host list (loopback names only)."""
    application = create_app(
        settings.model_copy(update={"allowed_hosts": [], "require_api_keys": None}), engine=engine
    )
    async with application.router.lifespan_context(application):
        yield application


async def _ask(app: Starlette, base_url: str, path: str = "/healthz") -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
        return await client.get(path)


@pytest.mark.parametrize(
    "base_url",
    ["http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000", "http://LOCALHOST"],
)
async def test_dev_mode_serves_loopback_host_names(dev_app: Starlette, base_url: str) -> None:
    assert (await _ask(dev_app, base_url)).status_code == 200


@pytest.mark.parametrize(
    "base_url", ["http://attacker.example:8000", "http://127.0.0.1.nip.io", "http://10.0.0.5"]
)
async def test_dev_mode_refuses_other_host_names(dev_app: Starlette, base_url: str) -> None:
    for path in ("/healthz", "/graphql?query=%7B__typename%7D"):
        response = await _ask(dev_app, base_url, path)
        assert response.status_code == 421
        assert error_codes(response.json()) == ["MISDIRECTED_REQUEST"]
        assert "PROVGRAPH_ALLOWED_HOSTS" in response.json()["errors"][0]["message"]


def test_the_host_list_follows_the_auth_mode_unless_configured() -> None:
    assert allowed_hosts([], auth_required=False) == frozenset({"localhost", "127.0.0.1", "::1"})
    assert allowed_hosts([], auth_required=True) is None
    assert allowed_hosts(["Graph.Example:443"], auth_required=True) == frozenset({"graph.example"})
    assert allowed_hosts(["*"], auth_required=False) is None
    assert host_name("[::1]:8000") == "::1" and host_name("example.org.") == "example.org"


async def test_graphiql_has_csp_and_may_not_be_framed(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["x-frame-options"] == "DENY"
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "connect-src 'self'" in csp
    api = await client.post("/graphql", json={"query": "{ __typename }"})
    assert api.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("step", [-1, -(2**31), 1_000_001])
async def test_run_subgraph_refuses_steps_out_of_range(
    client: httpx.AsyncClient, step: int
) -> None:
    await gql(client, RECORD, {"input": sample_run("sub")})
    body = await gql(
        client,
        'query ($s: Int) { runSubgraph(runId: "sub", step: $s) { nodes { nodeId } } }',
        {"s": step},
    )
    assert error_codes(body) == ["BAD_USER_INPUT"], body
    assert body["errors"][0]["extensions"]["field"] == "step"
