from __future__ import annotations

import pytest

from provgraph.core.domain.errors import Conflict, DeadlineExceeded
from provgraph.core.store.catalog import Catalog, NamedQuery, default_catalog
from provgraph.core.store.executor import Executor, TenantScopeError, Tx
from provgraph.core.store.schema_setup import apply_schema
from provgraph.engine.connection import EMBEDDED, Engine


def _catalog_with(*extra: NamedQuery) -> Catalog:
    base = default_catalog()
    return Catalog([*(base[n] for n in base.names()), *extra])


def _q(name: str, text: str, **params: str) -> NamedQuery:
    return NamedQuery(name, text, params, (), default_catalog()["system/ping"].path)


def _probe_executor(engine: Engine) -> Executor:
    """An executor with two test queries: create a :Probe node, count the tenant's."""
    create = _q(
        "test/create",
        "CREATE (n:Node:Probe {tenant: $tenant, id: $id}) RETURN n.id AS id",
        tenant="string",
        id="string",
    )
    count = _q(
        "test/count",
        "MATCH (n:Node:Probe {tenant: $tenant}) RETURN count(n) AS c",
        tenant="string",
    )
    return Executor(engine.driver, engine.database, _catalog_with(create, count), timeout=10)


async def test_named_read_counts_round_trips(executor: Executor) -> None:
    before = executor.stats.queries
    assert await executor.read("system/ping", {}) == [{"ok": 1}]
    assert executor.stats.queries == before + 1


async def test_schema_is_applied_idempotently(executor: Executor, engine: Engine) -> None:
    assert await apply_schema(executor) == len(executor.catalog.under("schema"))
    assert await apply_schema(executor) == len(executor.catalog.under("schema"))
    records, _, _ = await engine.driver.execute_query("SHOW CONSTRAINTS", database_=engine.database)
    assert "node_key" in {r["name"] for r in records}


async def test_write_tx_is_all_or_nothing_and_constraints_become_conflict(
    engine: Engine, tenant: str
) -> None:
    ex = _probe_executor(engine)

    async def two_creates(tx: Tx) -> None:
        await tx.run("test/create", {"id": "a"})
        await tx.run("test/create", {"id": "a"})  # duplicate key

    with pytest.raises(Conflict):
        await ex.write_tx("test", two_creates, tenant=tenant)
    assert await ex.read("test/count", tenant=tenant) == [{"c": 0}]
    await ex.write("test/create", {"id": "a"}, tenant=tenant)
    with pytest.raises(Conflict):
        await ex.write("test/create", {"id": "a"}, tenant=tenant)
    assert await ex.read("test/count", tenant=tenant) == [{"c": 1}]


async def test_a_taken_key_fails_at_the_statement_on_neo4j_and_at_commit_on_arcadedb(
    engine: Engine, tenant: str
) -> None:
    """Engine difference: Neo4j refuses the CREATE of a taken (tenant, id) at once; ArcadeDB
    accepts it and refuses the commit. Either way the executor raises Conflict and nothing is
    kept, which the optimistic batch write relies on (runs/service.py)."""
    ex = _probe_executor(engine)
    await ex.write("test/create", {"id": "a"}, tenant=tenant)
    reached: list[str] = []

    async def create_taken_then_more(tx: Tx) -> None:
        await tx.run("test/create", {"id": "a"})
        reached.append("after the taken key")
        await tx.run("test/create", {"id": "b"})

    with pytest.raises(Conflict):
        await ex.write_tx("test", create_taken_then_more, tenant=tenant)
    assert reached == (["after the taken key"] if engine.kind == EMBEDDED else [])
    assert await ex.read("test/count", tenant=tenant) == [{"c": 1}]


async def test_the_tenant_is_merged_in_one_place_and_never_forgotten(
    engine: Engine, tenant: str
) -> None:
    create = _q(
        "test/create",
        "CREATE (n:Node:Probe {tenant: $tenant, id: $id}) RETURN n.tenant AS tenant",
        tenant="string",
        id="string",
    )
    plain = _q("test/plain", "RETURN $x AS x", x="int")
    ex = Executor(engine.driver, engine.database, _catalog_with(create, plain), timeout=10)
    seen: list[tuple[str, dict[str, object]]] = []
    ex.observers.append(lambda name, params: seen.append((name, dict(params))))
    assert await ex.write("test/create", {"id": "b"}, tenant=tenant) == [{"tenant": tenant}]
    assert seen == [("test/create", {"id": "b", "tenant": tenant})]
    with pytest.raises(TenantScopeError, match="no tenant given"):
        await ex.write("test/create", {"id": "c"})
    with pytest.raises(TenantScopeError, match="not in params"):
        await ex.write("test/create", {"id": "c", "tenant": tenant}, tenant=tenant)
    with pytest.raises(TenantScopeError, match="must not be given one"):
        await ex.read("test/plain", {"x": 1}, tenant=tenant)
    assert await ex.read("test/plain", {"x": 1}) == [{"x": 1}]
    assert [name for name, _ in seen] == ["test/create", "test/plain"]


async def test_a_query_over_the_time_limit_is_deadline_exceeded(engine: Engine) -> None:
    slow = _q(
        "test/slow",
        "UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b "
        "WITH a, b WHERE (a * b) % 7919 = -1 RETURN count(*) AS c",
    )
    ex = Executor(engine.driver, engine.database, _catalog_with(slow), timeout=0.05)
    with pytest.raises(DeadlineExceeded, match="time limit"):
        await ex.read("test/slow", {})
