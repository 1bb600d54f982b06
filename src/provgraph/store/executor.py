"""The one place that talks to the driver.

Runs named catalog queries in managed transactions (reads routed to readers, writes through
``execute_write`` so transient errors are retried, sessions sharing the driver's bookmarks),
tags each transaction with its query name, bounds it with the configured timeout, and turns
database errors into domain errors.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import neo4j
from neo4j import AsyncDriver, AsyncManagedTransaction
from neo4j.exceptions import (
    ClientError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from provgraph.domain.errors import Conflict, DeadlineExceeded, EngineUnavailable
from provgraph.store.catalog import Catalog

log = logging.getLogger(__name__)

T = TypeVar("T")
Row = dict[str, Any]
Params = Mapping[str, Any]

_TIMEOUT_CODES = ("TransactionTimedOut", "TransactionTimedOutClientConfiguration", "Terminated")


@dataclass
class ExecutorStats:
    """Counts engine round trips; the e2e N+1 tests read it."""

    queries: int = 0
    transactions: int = 0


class WriteTx:
    """A write transaction in progress: services run several named queries in it, all or nothing."""

    def __init__(self, executor: Executor, tx: AsyncManagedTransaction) -> None:
        self._executor = executor
        self._tx = tx

    async def run(self, name: str, params: Params) -> list[Row]:
        return await self._executor._run_in(self._tx, name, params)


class Executor:
    def __init__(
        self,
        driver: AsyncDriver,
        database: str,
        catalog: Catalog,
        timeout: float,
        engine_down: Callable[[], bool] = lambda: False,
    ) -> None:
        self.driver = driver
        self.database = database
        self.catalog = catalog
        self.timeout = timeout
        # Known-dead engine: answer SERVICE_UNAVAILABLE at once instead of letting the driver
        # retry a refused connection for its whole retry window.
        self._engine_down = engine_down
        self.stats = ExecutorStats()

    async def _run_in(self, tx: AsyncManagedTransaction, name: str, params: Params) -> list[Row]:
        query = self.catalog[name]
        self.stats.queries += 1
        result = await tx.run(query.text, dict(params))
        return [record.data() for record in await result.fetch(2**31 - 1)]

    async def read(self, name: str, params: Params) -> list[Row]:
        async def work(tx: AsyncManagedTransaction) -> list[Row]:
            return await self._run_in(tx, name, params)

        return await self._transaction(name, work, write=False)

    async def write(self, name: str, params: Params) -> list[Row]:
        async def work(tx: AsyncManagedTransaction) -> list[Row]:
            return await self._run_in(tx, name, params)

        return await self._transaction(name, work, write=True)

    async def write_tx(self, label: str, work: Callable[[WriteTx], Awaitable[T]]) -> T:
        """Run ``work`` in one write transaction, retried as a whole on transient errors."""

        async def unit(tx: AsyncManagedTransaction) -> T:
            return await work(WriteTx(self, tx))

        return await self._transaction(label, unit, write=True)

    async def read_tx(self, label: str, work: Callable[[WriteTx], Awaitable[T]]) -> T:
        """Several reads in one transaction (one consistent snapshot on Neo4j)."""

        async def unit(tx: AsyncManagedTransaction) -> T:
            return await work(WriteTx(self, tx))

        return await self._transaction(label, unit, write=False)

    async def _transaction(
        self,
        label: str,
        work: Callable[[AsyncManagedTransaction], Awaitable[T]],
        *,
        write: bool,
    ) -> T:
        tagged = neo4j.unit_of_work(
            timeout=self.timeout, metadata={"app": "provgraph", "query": label}
        )(work)
        if self._engine_down():
            raise EngineUnavailable("the graph engine is down; it is being restarted")
        self.stats.transactions += 1
        try:
            async with asyncio.timeout(self.timeout + 1.0):
                async with self.driver.session(
                    database=self.database,
                    # One bookmark manager for all sessions of the driver: with a cluster
                    # (neo4j:// URI), a read routed to a reader waits for the writes made
                    # before it through this driver (read-your-writes across requests).
                    bookmark_manager=self.driver.execute_query_bookmark_manager,
                ) as session:
                    if write:
                        return await session.execute_write(tagged)
                    return await session.execute_read(tagged)
        except TimeoutError:
            raise DeadlineExceeded(
                f"query {label!r} exceeded the {self.timeout:g}s time limit", query=label
            ) from None
        except ConstraintError as exc:
            raise Conflict(f"constraint violated in {label!r}", query=label) from exc
        except (ServiceUnavailable, SessionExpired) as exc:
            log.warning("engine unavailable during %s: %s", label, exc)
            raise EngineUnavailable("the graph engine is unavailable; retry shortly") from exc
        except ClientError as exc:
            if exc.code and any(code in exc.code for code in _TIMEOUT_CODES):
                raise DeadlineExceeded(
                    f"query {label!r} exceeded the {self.timeout:g}s time limit", query=label
                ) from exc
            raise
        except TransientError as exc:
            raise EngineUnavailable("the graph engine is busy; retry shortly") from exc
        except (Neo4jError, DriverError):
            raise
        except OSError as exc:
            raise EngineUnavailable("the graph engine is unreachable; retry shortly") from exc
