"""Prepare the graph at start-up: apply ``cypher/schema/*.cypher`` (constraints and indexes, all
IF NOT EXISTS), then register every label set and relationship type provgraph writes (see the
header of ``cypher/setup/register_types.cypher``)."""

from __future__ import annotations

import logging

from provgraph.core.domain.errors import DeadlineExceeded
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
    for attempt in range(3):
        try:
            await executor.write(REGISTER_TYPES, {})
            break
        except DeadlineExceeded:
            # A fresh ArcadeDB makes each of the ~50 types on first use (~0.8 s on 2 cores),
            # which a short PROVGRAPH_QUERY_TIMEOUT under load can cut off. Its schema changes
            # are not transactional, so a next attempt finds the types made so far (a warm
            # registration takes ~0.1 s). On Neo4j it only registers tokens (fast).
            if attempt == 2:
                raise
            log.warning("type registration hit the time limit; trying again")
    log.info("schema ready: %d constraints and indexes", len(statements))
    return len(statements)
