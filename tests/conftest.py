"""Shared fixtures: one engine per session, one fresh tenant per test (data isolation)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from importlib import metadata
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from provgraph.app import create_app
from provgraph.config import Settings
from provgraph.core.store.catalog import default_catalog
from provgraph.core.store.executor import Executor
from provgraph.core.store.schema_setup import apply_schema
from provgraph.engine.connection import Engine, open_engine
from provgraph.engine.neo4j_local import neo4j_version
from tests.engines import EngineTarget, requested_engine, session_engine_target


@pytest.fixture(scope="session")
def engine_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineTarget]:
    with session_engine_target(tmp_path_factory.mktemp("engine")) as target:
        yield target


@pytest.fixture(scope="session")
def base_settings(engine_target: EngineTarget) -> Settings:
    if engine_target.uri:
        return Settings(
            neo4j_uri=engine_target.uri,
            neo4j_user=engine_target.user,
            neo4j_password=SecretStr(engine_target.password),
            require_api_keys=False,
            allowed_hosts=["localhost", "127.0.0.1", "::1", "provgraph.test"],
        )
    assert engine_target.data_dir is not None
    # Dev mode serves loopback host names only; the tests' client asks for provgraph.test.
    return engine_target.local_settings(
        engine_target.data_dir,
        heap="1g",
        allowed_hosts=["localhost", "127.0.0.1", "::1", "provgraph.test"],
    )


def pytest_report_header(config: pytest.Config) -> str:
    """Which engine this run tests, so a log says it (the engine's own agent string is in
    the summary at the end, as the engine reported it)."""
    try:
        name = requested_engine()
    except RuntimeError as exc:
        raise pytest.UsageError(str(exc)) from None
    if os.environ.get("PROVGRAPH_TEST_NEO4J_URI"):
        return f"engine: neo4j at {os.environ['PROVGRAPH_TEST_NEO4J_URI']} (external)"
    if name == "neo4j":
        return f"engine: neo4j {neo4j_version()} (local, Neo4j Community from Maven Central)"
    if name == "neo4j-container":
        return "engine: neo4j (container)"
    return f"engine: arcadedb {metadata.version('arcadedb-embedded')} (embedded)"


_SEEN_AGENT: list[str] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _SEEN_AGENT:
        terminalreporter.write_line(f"engine answered as: {_SEEN_AGENT[0]}")


@pytest.fixture(scope="session")
async def engine(base_settings: Settings) -> AsyncIterator[Engine]:
    live = await open_engine(base_settings)
    _SEEN_AGENT.append(live.server_agent)
    try:
        yield live
    finally:
        await live.close()


@pytest.fixture(scope="session")
async def executor(engine: Engine, base_settings: Settings) -> Executor:
    ex = Executor(engine.driver, engine.database, default_catalog(), base_settings.query_timeout)
    await apply_schema(ex)
    return ex


@pytest.fixture
async def tenant(engine: Engine) -> AsyncIterator[str]:
    """A tenant no other test uses; its data is removed afterwards."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    for cleanup in (
        "MATCH (n:Node {tenant: $tenant}) DETACH DELETE n",
        "MATCH (k:ApiKey {tenant: $tenant}) DETACH DELETE k",
    ):
        await engine.driver.execute_query(cleanup, tenant=name, database_=engine.database)


@pytest.fixture
def settings(base_settings: Settings, tenant: str) -> Settings:
    return base_settings.model_copy(update={"dev_tenant": tenant})


@pytest.fixture
async def app(settings: Settings, engine: Engine) -> AsyncIterator[Starlette]:
    application = create_app(settings, engine=engine)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://provgraph.test") as c:
        yield c


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]
