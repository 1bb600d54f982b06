"""Prepare the graph at start-up: apply ``cypher/schema/*.cypher`` (constraints and indexes, all
IF NOT EXISTS), then register every label set and relationship type provgraph writes (see the
header of ``cypher/setup/register_types.cypher``)."""

from __future__ import annotations

import logging

from provgraph.core.store.executor import Executor
from provgraph.core.store.registry import query

log = logging.getLogger(__name__)

REGISTER_TYPES = query("setup/register_types")


async def apply_schema(executor: Executor) -> int:
    """Idempotent; returns the number of constraints and indexes."""
    statements = executor.catalog.under("schema")
    for statement in statements:
        # One statement per transaction: Neo4j refuses schema and data changes mixed in one.
        await executor.write(statement.name, {})
    await executor.write(REGISTER_TYPES, {})
    log.info("schema ready: %d constraints and indexes", len(statements))
    return len(statements)
