"""ArcadeDB creates a type for each new label set and relationship type on its first use, and
concurrent first uses of a label set fail (SchemaException, sent over Bolt as a SemanticError
ClientError, which the driver does not retry). Neo4j has no such step. provgraph registers every
label set and relationship type it writes at start-up (``setup/register_types``), so clients
never race on them: checked here on a fresh engine."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from neo4j import AsyncManagedTransaction
from neo4j.exceptions import Neo4jError

from provgraph.core.store.catalog import default_catalog
from provgraph.core.store.executor import Executor
from provgraph.core.store.schema_setup import apply_schema
from provgraph.engine.connection import Engine, open_engine
from tests.cypher_text import written_label_sets, written_rel_types
from tests.engines import EngineTarget

WRITERS = 10
SEMANTIC_ERROR = "Neo.ClientError.Statement.SemanticError"


@pytest.fixture(autouse=True)
def _embedded_only(engine_target: EngineTarget) -> None:
    if not engine_target.starts_locally:
        pytest.skip("needs a fresh engine of its own")


async def _first_writes(engine: Engine, query: str) -> list[str]:
    """WRITERS transactions run ``query`` at once; the error codes they got."""

    async def write(tx: AsyncManagedTransaction) -> None:
        await (await tx.run(query, id=uuid.uuid4().hex)).consume()

    async def one() -> str | None:
        try:
            async with engine.driver.session(database=engine.database) as session:
                await session.execute_write(write)
        except Neo4jError as exc:
            return exc.code or type(exc).__name__
        return None

    return [code for code in await asyncio.gather(*(one() for _ in range(WRITERS))) if code]


def _create_node(labels: str) -> str:
    return "CREATE (n:" + labels + " {tenant: 'race', id: $id})"


def _create_rel(rel_type: str) -> str:
    return (
        "MATCH (a:Node:Run {tenant: 'race', id: 'a'}) CREATE (a)-[:" + rel_type + " {id: $id}]->(a)"
    )


@pytest.mark.slow
async def test_no_first_use_race_on_any_type_after_start_up(
    tmp_path: Path, engine_target: EngineTarget
) -> None:
    engine = await open_engine(engine_target.local_settings(tmp_path))
    try:
        executor = Executor(engine.driver, engine.database, default_catalog(), 30.0)
        await apply_schema(executor)
        # The difference itself, on label sets nobody registered: whatever fails, fails this way.
        codes = [
            c for i in range(5) for c in await _first_writes(engine, _create_node(f"Node:P{i}"))
        ]
        assert set(codes) <= {SEMANTIC_ERROR}, codes

        register = default_catalog()["setup/register_types"].text
        for label_set in sorted(written_label_sets(register), key=sorted):
            labels = ":".join(sorted(label_set, key=lambda label: label != "Node"))
            assert await _first_writes(engine, _create_node(labels)) == [], labels
        await engine.driver.execute_query(
            "CREATE (:Node:Run {tenant: 'race', id: 'a'})", database_=engine.database
        )
        for rel_type in sorted(written_rel_types(register)):
            assert await _first_writes(engine, _create_rel(rel_type)) == [], rel_type
    finally:
        await engine.close()
