"""The one place that talks to the driver.

Runs named catalog queries in managed transactions (reads through ``execute_read``, routed to
readers on a cluster; writes through ``execute_write`` so transient errors are retried), merges
the tenant into every query that declares ``$tenant`` (and refuses one that declares it without
a tenant, or gets it twice), tags each transaction with ``provgraph@<version>``, the query or
use-case label and the GraphQL operation name, bounds it with the configured timeout, logs
every query at one point, and maps the engine's exact status codes to domain errors.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

import neo4j
from neo4j import AsyncDriver, AsyncManagedTransaction
from neo4j.exceptions import (
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from provgraph import __version__
from provgraph.core.domain.errors import Conflict, DeadlineExceeded, EngineUnavailable
from provgraph.core.store.catalog import Catalog

log = logging.getLogger(__name__)

T = TypeVar("T")
Row = dict[str, Any]
Params = Mapping[str, Any]
# Called with (query name, parameters sent) for every query: instrumentation (bench, tests).
Observer = Callable[[str, Mapping[str, Any]], None]

APP = f"provgraph@{__version__}"
# The GraphQL operation being executed (set by the schema's OperationName extension), so
# that a DBA looking at the engine's running transactions sees which client call it is.
current_operation: ContextVar[str | None] = ContextVar("provgraph_operation", default=None)

# Exact status codes (Neo4j's, which ArcadeDB's Bolt plugin reuses) that mean "the time limit
# stopped the transaction"; nothing is matched by substring.
DEADLINE_CODES = frozenset(
    {
        "Neo.ClientError.Transaction.TransactionTimedOut",
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
        "Neo.TransientError.Transaction.TransactionTimedOut",
        "Neo.TransientError.Transaction.Terminated",
        "Neo.ClientError.Transaction.Terminated",
    }
)


class TenantScopeError(RuntimeError):
    """A programming error: a tenant-scoped query sent without its tenant, or the reverse."""


@dataclass
class ExecutorStats:
    """Counts engine round trips; the e2e N+1 tests read it."""

    queries: int = 0
    transactions: int = 0


class Tx:
    """A transaction in progress (read or write): several named queries in it, one snapshot,
    all or nothing, all scoped to the tenant it was opened for."""

    def __init__(self, executor: Executor, tx: AsyncManagedTransaction, tenant: str | None) -> None:
        self._executor = executor
        self._tx = tx
        self.tenant = tenant

    async def run(self, name: str, params: Params | None = None) -> list[Row]:
        return await self._executor._run_in(self._tx, name, params or {}, self.tenant)


class Executor:
    def __init__(
        self,
        driver: AsyncDriver,
        database: str,
        catalog: Catalog,
        timeout: float,
        engine_down: Callable[[], bool] = lambda: False,
        max_concurrent_writes: int | None = None,
    ) -> None:
        self.driver = driver
        self.database = database
        self.catalog = catalog
        self.timeout = timeout
        # Known-dead engine: answer SERVICE_UNAVAILABLE at once instead of letting the driver
        # retry a refused connection for its whole retry window.
        self._engine_down = engine_down
        self.stats = ExecutorStats()
        self.observers: list[Observer] = []
        # Write transactions of this process queue here rather than collide in the engine:
        # ArcadeDB's optimistic page-level concurrency fails concurrent inserts of one type
        # ("slot rebase not possible … concurrent change to the same record", a transient
        # DeadlockDetected) and each failure is a retry with a growing back-off; a short
        # in-process queue keeps the engine's commit path busy without the retry storm.
        self._write_slots = (
            asyncio.Semaphore(max_concurrent_writes) if max_concurrent_writes else None
        )

    def bind(self, name: str, params: Params, tenant: str | None) -> dict[str, Any]:
        """The parameters sent for ``name``: the caller's, plus the tenant where declared."""
        declared = "tenant" in self.catalog[name].params
        if "tenant" in params:
            raise TenantScopeError(f"{name}: pass the tenant to the executor, not in params")
        if declared and tenant is None:
            raise TenantScopeError(f"{name} is tenant-scoped: no tenant given")
        if not declared and tenant is not None:
            raise TenantScopeError(f"{name} has no $tenant: it must not be given one")
        return {**params, "tenant": tenant} if declared else dict(params)

    async def _run_in(
        self, tx: AsyncManagedTransaction, name: str, params: Params, tenant: str | None
    ) -> list[Row]:
        query = self.catalog[name]
        sent = self.bind(name, params, tenant)
        self.stats.queries += 1
        for observe in self.observers:
            observe(name, sent)
        started = time.perf_counter()
        result = await tx.run(query.text, sent)
        rows = [record.data() for record in await result.fetch(2**31 - 1)]
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "query %s %.1f ms, %d rows, params %r",
                name,
                (time.perf_counter() - started) * 1000,
                len(rows),
                sent,
            )
        return rows

    async def read(
        self, name: str, params: Params | None = None, *, tenant: str | None = None
    ) -> list[Row]:
        async def work(tx: Tx) -> list[Row]:
            return await tx.run(name, params)

        return await self.read_tx(name, work, tenant=tenant)

    async def write(
        self, name: str, params: Params | None = None, *, tenant: str | None = None
    ) -> list[Row]:
        async def work(tx: Tx) -> list[Row]:
            return await tx.run(name, params)

        return await self.write_tx(name, work, tenant=tenant)

    async def write_tx(
        self, label: str, work: Callable[[Tx], Awaitable[T]], *, tenant: str | None = None
    ) -> T:
        """Run ``work`` in one write transaction, retried as a whole on transient errors."""

        async def unit(tx: AsyncManagedTransaction) -> T:
            return await work(Tx(self, tx, tenant))

        if self._write_slots is None:
            return await self._transaction(label, unit, write=True)
        try:
            async with asyncio.timeout(self.timeout):
                await self._write_slots.acquire()
        except TimeoutError:
            raise EngineUnavailable(
                f"the graph engine is busy: no write slot within {self.timeout:g}s; retry shortly"
            ) from None
        try:
            return await self._transaction(label, unit, write=True)
        finally:
            self._write_slots.release()

    async def read_tx(
        self, label: str, work: Callable[[Tx], Awaitable[T]], *, tenant: str | None = None
    ) -> T:
        """Several reads in one transaction (one consistent snapshot on Neo4j)."""

        async def unit(tx: AsyncManagedTransaction) -> T:
            return await work(Tx(self, tx, tenant))

        return await self._transaction(label, unit, write=False)

    async def _transaction(
        self,
        label: str,
        work: Callable[[AsyncManagedTransaction], Awaitable[T]],
        *,
        write: bool,
    ) -> T:
        metadata = {"app": APP, "query": label}
        operation = current_operation.get()
        if operation:
            metadata["operation"] = operation
        tagged = neo4j.unit_of_work(timeout=self.timeout, metadata=metadata)(work)
        if self._engine_down():
            raise EngineUnavailable("the graph engine is down; it is being restarted")
        self.stats.transactions += 1
        try:
            async with asyncio.timeout(self.timeout + 1.0):
                async with self.driver.session(database=self.database) as session:
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
        except Neo4jError as exc:
            if exc.code in DEADLINE_CODES:
                raise DeadlineExceeded(
                    f"query {label!r} exceeded the {self.timeout:g}s time limit", query=label
                ) from exc
            if isinstance(exc, TransientError):
                raise EngineUnavailable("the graph engine is busy; retry shortly") from exc
            raise
        except DriverError:
            raise
        except OSError as exc:
            raise EngineUnavailable("the graph engine is unreachable; retry shortly") from exc
