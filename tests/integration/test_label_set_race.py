"""ArcadeDB creates a type for each new label set on its first use, and concurrent first uses
fail (SchemaException, sent over Bolt as a SemanticError ClientError, which the driver does not
retry). Neo4j has no such step. provgraph registers every label set it writes at start-up
(``setup/register_label_sets``), so clients never race on it: checked here on a fresh engine."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from neo4j import AsyncManagedTransaction
from neo4j.exceptions import Neo4jError

from provgraph.config import Settings
from provgraph.engine.connection import Engine, open_engine
from provgraph.store.catalog import default_catalog
from provgraph.store.executor import Executor
from provgraph.store.schema_setup import apply_schema
from tests.cypher_text import written_label_sets
from tests.engines import EngineTarget

WRITERS = 10


@pytest.fixture(autouse=True)
def _embedded_only(engine_target: EngineTarget) -> None:
    if engine_target.kind != "arcadedb-embedded":
        pytest.skip("needs a fresh embedded engine")


async def _first_writes(engine: Engine, labels: str) -> list[str]:
    """WRITERS transactions create a node with ``labels`` at once; the error codes they got."""

    async def create(tx: AsyncManagedTransaction) -> None:
        query = "CREATE (n:" + labels + " {tenant: 'race', id: $id})"
        await (await tx.run(query, id=uuid.uuid4().hex)).consume()

    async def one() -> str | None:
        try:
            async with engine.driver.session(database=engine.database) as session:
                await session.execute_write(create)
        except Neo4jError as exc:
            return exc.code or type(exc).__name__
        return None

    return [code for code in await asyncio.gather(*(one() for _ in range(WRITERS))) if code]


@pytest.mark.slow
async def test_no_first_use_race_on_any_label_set_after_start_up(tmp_path: Path) -> None:
    engine = await open_engine(Settings(data_dir=tmp_path, embedded_heap="512m"))
    try:
        executor = Executor(engine.driver, engine.database, default_catalog(), 30.0)
        await apply_schema(executor)
        # The difference itself, on label sets nobody registered: whatever fails, fails this way.
        unregistered = [f"Node:Probe{i}" for i in range(5)]
        codes = [c for labels in unregistered for c in await _first_writes(engine, labels)]
        assert set(codes) <= {"Neo.ClientError.Statement.SemanticError"}, codes
        # Every label set provgraph writes was registered by apply_schema: no failures.
        registered = written_label_sets(default_catalog()["setup/register_label_sets"].text)
        for label_set in sorted(registered, key=sorted):
            labels = ":".join(sorted(label_set, key=lambda label: label != "Node"))
            assert await _first_writes(engine, labels) == [], labels
    finally:
        await engine.close()
