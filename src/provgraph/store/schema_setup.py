"""Apply ``cypher/schema/*.cypher`` (constraints and indexes, all IF NOT EXISTS) at start-up."""

from __future__ import annotations

import logging

from provgraph.store.executor import Executor

log = logging.getLogger(__name__)


async def apply_schema(executor: Executor) -> int:
    statements = executor.catalog.under("schema")
    for statement in statements:
        # One statement per transaction: Neo4j refuses schema and data changes mixed in one.
        await executor.write(statement.name, {})
    log.info("schema ready: %d constraints and indexes", len(statements))
    return len(statements)
