"""Open the configured engine: Neo4j when ``PROVGRAPH_NEO4J_URI`` is set, else the engine provgraph
starts itself: embedded ArcadeDB (default) or a local Neo4j (``PROVGRAPH_ENGINE=neo4j``)."""

from __future__ import annotations

import asyncio
import logging
import shutil
import time
from dataclasses import dataclass

import neo4j
from neo4j import AsyncDriver, AsyncGraphDatabase
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

from provgraph.config import Settings
from provgraph.engine.embedded import EmbeddedArcadeDB
from provgraph.engine.errors import EngineStartError
from provgraph.engine.neo4j_local import LocalNeo4j

log = logging.getLogger(__name__)

EMBEDDED = "arcadedb-embedded"
NEO4J = "neo4j"
NEO4J_LOCAL = "neo4j-local"


@dataclass
class Engine:
    """A reachable graph engine: the driver, which database, and the embedded child if any."""

    kind: str
    driver: AsyncDriver
    database: str
    uri: str
    # The child process provgraph started (ArcadeDB or Neo4j), restarted when it dies.
    embedded: EmbeddedArcadeDB | LocalNeo4j | None = None
    server_agent: str = ""

    @property
    def description(self) -> str:
        if isinstance(self.embedded, LocalNeo4j):
            return (
                f"local Neo4j {self.embedded.version} at {self.uri} "
                f"(data: {self.embedded.layout.data_dir})"
            )
        if self.embedded is not None:
            return f"embedded ArcadeDB at {self.uri} (data: {self.embedded.layout.data_dir})"
        return f"Neo4j at {self.uri} (database {self.database})"

    async def ping(self) -> None:
        """A real query: the engine answers, not just a socket."""
        # One plain attempt: execute_query would retry on its own and flood the log.
        async with self.driver.session(
            database=self.database, default_access_mode=neo4j.READ_ACCESS
        ) as session:
            result = await session.run("RETURN 1 AS ok")
            await result.consume()

    def disk_problem(self, min_free_bytes: int) -> str | None:
        """Why writes fail for lack of disk, when the engine's data is on this machine and its
        file system has less than ``min_free_bytes`` free; None otherwise (or unknown)."""
        if self.embedded is None:
            return None
        data_dir = self.embedded.layout.data_dir
        try:
            free = shutil.disk_usage(data_dir).free
        except OSError:
            return None
        if free >= min_free_bytes:
            return None
        return (
            f"the graph engine's disk is full: {free // 1024} KB free under {data_dir}; "
            "writes resume once space is freed"
        )

    @property
    def process_down(self) -> bool:
        """True when the embedded engine's process is known to be gone (fail fast, no retries)."""
        return self.embedded is not None and not self.embedded.is_running()

    async def supervise(self, interval: float = 1.0, ready_within: float = 90.0) -> None:
        """Restart the embedded engine, on the same ports and data, whenever it dies."""
        embedded = self.embedded
        if embedded is None:
            return
        while True:
            await asyncio.sleep(interval)
            if embedded.is_running():
                continue
            log.error(
                "embedded engine stopped unexpectedly (%s); restarting it",
                embedded.last_error_line(),
            )
            try:
                embedded.start()  # in this thread: see open_engine
                await wait_until_ready(self, ready_within)
                log.warning("embedded engine is back at %s", self.uri)
            except EngineStartError as exc:
                log.error("embedded engine restart failed: %s", exc)

    async def close(self) -> None:
        await self.driver.close()
        if self.embedded is not None:
            await asyncio.to_thread(self.embedded.stop)


async def wait_until_ready(engine: Engine, within: float) -> None:
    deadline = time.monotonic() + within
    last: Exception | None = None
    while time.monotonic() < deadline:
        if engine.embedded is not None:
            engine.embedded.check_alive()
        if isinstance(engine.embedded, LocalNeo4j) and not engine.embedded.launched():
            # Its Bolt port opens before the launcher has set the password: not yet an answer.
            await asyncio.sleep(0.25)
            continue
        try:
            await engine.ping()
            return
        except AuthError as exc:
            raise EngineStartError(f"engine refused the credentials: {exc.message}") from None
        except (ServiceUnavailable, DriverError, Neo4jError, OSError) as exc:
            last = exc
        await asyncio.sleep(0.25)
    where = f" (log: {engine.embedded.layout.log_file})" if engine.embedded else ""
    raise EngineStartError(
        f"engine at {engine.uri} did not answer within {within:.0f}s: {last}{where}"
    )


def _retry_window(settings: Settings) -> float:
    # Managed transactions retry transient errors; an unreachable engine should still become
    # SERVICE_UNAVAILABLE well before the request's own deadline.
    return min(10.0, settings.query_timeout)


async def open_engine(settings: Settings) -> Engine:
    """Start (embedded) or connect (Neo4j), then wait until a real query answers."""
    # The child process provgraph started (ArcadeDB or Neo4j), restarted when it dies.
    embedded: EmbeddedArcadeDB | LocalNeo4j | None = None
    if settings.neo4j_uri:
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
        driver = AsyncGraphDatabase.driver(
            settings.neo4j_uri,
            auth=(settings.neo4j_user, password),
            max_transaction_retry_time=_retry_window(settings),
        )
        engine = Engine(NEO4J, driver, settings.neo4j_database, settings.neo4j_uri)
        timeout = 30.0
    elif settings.engine == "neo4j":
        embedded = LocalNeo4j(
            settings.data_dir,
            bolt_port=settings.embedded_bolt_port,
            heap=settings.neo4j_heap,
            pagecache=settings.neo4j_pagecache,
            transaction_timeout_ms=round(settings.query_timeout * 1000),
            cache_dir=settings.neo4j_cache_dir,
        )
        # Fetching and compiling (first start only) may take a while: off the event loop.
        await asyncio.to_thread(embedded.prepare)
        embedded.start()  # from the calling thread: see below
        driver = AsyncGraphDatabase.driver(
            embedded.uri, auth=embedded.auth, max_transaction_retry_time=_retry_window(settings)
        )
        engine = Engine(NEO4J_LOCAL, driver, embedded.database, embedded.uri, embedded)
        timeout = settings.embedded_start_timeout
    else:
        embedded = EmbeddedArcadeDB(
            settings.data_dir,
            database=settings.embedded_database,
            bolt_port=settings.embedded_bolt_port,
            http_port=settings.embedded_http_port,
            heap=settings.embedded_heap,
            # The engine's own limit matches the executor's, so a query is never left running.
            command_timeout_ms=round(settings.query_timeout * 1000),
        )
        # Started from the calling thread, not a worker: Linux sends the parent-death signal
        # when the *thread* that forked the child ends, so a pool thread could orphan the JVM
        # or kill it early. The start is a fork/exec and a few file operations.
        embedded.start()
        driver = AsyncGraphDatabase.driver(
            embedded.uri, auth=embedded.auth, max_transaction_retry_time=_retry_window(settings)
        )
        engine = Engine(EMBEDDED, driver, embedded.database, embedded.uri, embedded)
        timeout = settings.embedded_start_timeout
    try:
        await wait_until_ready(engine, timeout)
        info = await driver.get_server_info()
        engine.server_agent = info.agent
    except BaseException:
        await engine.close()
        raise
    log.info("engine ready: %s", engine.description)
    return engine
