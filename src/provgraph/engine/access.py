"""Engine access for one-off commands (``provgraph keys …``) next to, or without, a server.

With the embedded engine, a running provgraph owns the data directory; the command then talks to
that very engine (engine.json tells where) instead of starting a second one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from neo4j import AsyncGraphDatabase

from provgraph.config import Settings
from provgraph.engine.connection import (
    EMBEDDED,
    NEO4J_LOCAL,
    Engine,
    open_engine,
    wait_until_ready,
)
from provgraph.engine.embedded import EmbeddedLayout, read_state, root_password
from provgraph.engine.neo4j_local import USER, Neo4jLayout


@asynccontextmanager
async def engine_for_command(settings: Settings) -> AsyncIterator[Engine]:
    if settings.uses_embedded:
        data_dir = settings.data_dir.expanduser().resolve()
        local_neo4j = settings.uses_local_neo4j
        layout = Neo4jLayout(data_dir) if local_neo4j else EmbeddedLayout(data_dir)
        state = read_state(layout)
        if state is not None:
            uri = f"bolt://127.0.0.1:{state.bolt_port}"
            user = USER if local_neo4j else "root"
            driver = AsyncGraphDatabase.driver(uri, auth=(user, root_password(layout)))
            kind = NEO4J_LOCAL if local_neo4j else EMBEDDED
            engine = Engine(kind, driver, state.database, uri)
            try:
                await wait_until_ready(engine, 15.0)
                yield engine
            finally:
                await driver.close()
            return
    engine = await open_engine(settings)
    try:
        yield engine
    finally:
        await engine.close()
