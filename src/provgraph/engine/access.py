"""Engine access for one-off commands (``provgraph keys …``) next to, or without, a server.

With the embedded engine, a running provgraph owns the data directory; the command then talks to
that very engine (engine.json tells where) instead of starting a second one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from neo4j import AsyncGraphDatabase

from provgraph.config import Settings
from provgraph.engine.connection import EMBEDDED, Engine, open_engine, wait_until_ready
from provgraph.engine.embedded import EmbeddedLayout, read_state, root_password


@asynccontextmanager
async def engine_for_command(settings: Settings) -> AsyncIterator[Engine]:
    if settings.uses_embedded:
        layout = EmbeddedLayout(settings.data_dir.expanduser().resolve())
        state = read_state(layout)
        if state is not None:
            uri = f"bolt://127.0.0.1:{state.bolt_port}"
            driver = AsyncGraphDatabase.driver(uri, auth=("root", root_password(layout)))
            engine = Engine(EMBEDDED, driver, state.database, uri)
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
