"""The local Neo4j engine's own guarantees (Neo4j sessions): auth with a private generated
password that no command line shows, a busy port named, reads routed with ``neo4j://``.
(Persistence, death at start, no orphan JVM and the engine's time limit are in
test_embedded_engine.py, which runs on whichever engine provgraph starts.)"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import neo4j
import pytest
from neo4j import AsyncGraphDatabase
from neo4j.exceptions import AuthError
from pydantic import SecretStr

from provgraph.config import Settings
from provgraph.core.store.catalog import Catalog, NamedQuery, default_catalog
from provgraph.core.store.executor import Executor
from provgraph.engine.connection import Engine, open_engine
from provgraph.engine.errors import EngineStartError
from provgraph.engine.neo4j_local import LocalNeo4j, Neo4jLayout
from tests.engines import NEO4J_LOCAL, EngineTarget


@pytest.fixture(autouse=True)
def _local_neo4j_only(engine_target: EngineTarget) -> None:
    if engine_target.kind != NEO4J_LOCAL:
        pytest.skip("tests of the local Neo4j engine (PROVGRAPH_TEST_ENGINE=neo4j)")


def _layout(target: EngineTarget) -> Neo4jLayout:
    assert target.data_dir is not None
    return Neo4jLayout(target.data_dir.resolve())


def test_the_password_is_generated_private_and_on_no_command_line(
    engine: Engine, engine_target: EngineTarget
) -> None:
    layout = _layout(engine_target)
    password = layout.password_file.read_text().strip()
    assert len(password) >= 16
    assert (layout.password_file.stat().st_mode & 0o777) == 0o600
    assert isinstance(engine.embedded, LocalNeo4j) and engine.embedded.process is not None
    jvm = engine.embedded.process.pid
    seen: list[int] = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        assert password.encode() not in cmdline, f"the password is on pid {proc.name}'s cmdline"
        seen.append(int(proc.name))
    assert jvm in seen  # the engine's own command line was among those checked


async def test_auth_is_on_and_the_default_password_refused(engine: Engine) -> None:
    for user, password in (("neo4j", "neo4j"), ("neo4j", ""), ("neo4j", "wrong-password")):
        driver = AsyncGraphDatabase.driver(engine.uri, auth=(user, password))
        try:
            with pytest.raises(AuthError):
                await driver.execute_query("RETURN 1", database_=engine.database)
        finally:
            await driver.close()


def test_bolt_is_on_loopback_only(engine: Engine) -> None:
    assert engine.uri.startswith("bolt://127.0.0.1:")


async def test_the_neo4j_scheme_routes_reads_and_writes_on_one_instance(
    engine: Engine, engine_target: EngineTarget
) -> None:
    """A cluster URI (``neo4j://``: routing table, reads to readers) against the single local
    instance; the write is seen by a read routed separately, through shared bookmarks."""
    port = engine.uri.rsplit(":", 1)[1]
    password = _layout(engine_target).password_file.read_text().strip()
    driver = AsyncGraphDatabase.driver(f"neo4j://127.0.0.1:{port}", auth=("neo4j", password))
    try:
        await driver.execute_query(
            "CREATE (:Node:RoutingProbe {tenant: 'routing', id: 'r1'})",
            database_=engine.database,
            routing_=neo4j.RoutingControl.WRITE,
        )
        records, _, _ = await driver.execute_query(
            "MATCH (n:RoutingProbe {tenant: 'routing'}) RETURN n.id AS id",
            database_=engine.database,
            routing_=neo4j.RoutingControl.READ,
        )
        assert [r["id"] for r in records] == ["r1"]
    finally:
        await driver.execute_query(
            "MATCH (n:RoutingProbe {tenant: 'routing'}) DETACH DELETE n", database_=engine.database
        )
        await driver.close()


def test_busy_bolt_port_is_named(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        local = LocalNeo4j(tmp_path, bolt_port=port)
        with pytest.raises(EngineStartError) as info:
            local.start()
    message = str(info.value)
    assert f"Bolt port 127.0.0.1:{port} is busy" in message
    assert "\n" not in message
    assert local.process is None


def test_state_file_names_the_running_engine(engine: Engine, engine_target: EngineTarget) -> None:
    import json

    state = json.loads(_layout(engine_target).state_file.read_text())
    assert isinstance(engine.embedded, LocalNeo4j) and engine.embedded.process is not None
    assert state["pid"] == engine.embedded.process.pid
    assert state["owner_pid"] == os.getpid()
    assert engine.uri.endswith(f":{state['bolt_port']}")


async def test_provgraph_on_a_neo4j_uri_reads_its_own_writes(
    engine: Engine, engine_target: EngineTarget, tenant: str
) -> None:
    """provgraph configured as for a cluster (``PROVGRAPH_NEO4J_URI=neo4j://…``) against the
    single local instance: writes go to the writer, reads (``execute_read``) are routed as reads,
    and every session shares the driver's bookmark manager, so the read waits for the write."""
    port = engine.uri.rsplit(":", 1)[1]
    password = _layout(engine_target).password_file.read_text().strip()
    settings = Settings(
        neo4j_uri=f"neo4j://127.0.0.1:{port}",
        neo4j_password=SecretStr(password),
        require_api_keys=False,
    )
    routed = await open_engine(settings)
    try:
        executor = Executor(routed.driver, routed.database, default_catalog(), 30.0)
        probe = NamedQuery(
            "test/probe",
            "CREATE (n:Node:Probe {tenant: $tenant, id: 'rw1'}) RETURN n.id AS id",
            {"tenant": "string"},
            ("id",),
            default_catalog()["system/ping"].path,
        )
        find = NamedQuery(
            "test/find",
            "MATCH (n:Node:Probe {tenant: $tenant}) RETURN n.id AS id",
            {"tenant": "string"},
            ("id",),
            default_catalog()["system/ping"].path,
        )
        executor.catalog = Catalog(
            [*(executor.catalog[n] for n in executor.catalog.names()), probe, find]
        )
        bookmarks = routed.driver.execute_query_bookmark_manager
        before = set(await bookmarks.get_bookmarks())
        await executor.write("test/probe", tenant=tenant)
        after = set(await bookmarks.get_bookmarks())
        assert after and after != before, "the write's bookmark was not shared"
        assert await executor.read("test/find", tenant=tenant) == [{"id": "rw1"}]
    finally:
        await routed.close()
