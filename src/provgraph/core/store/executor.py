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
from provgraph.core.domain.ids import uuid7
from provgraph.core.domain.timefmt import now_ms
from provgraph.core.store import audit
from provgraph.core.store.catalog import Catalog
from provgraph.core.store.registry import query

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


ENSURE_AUDIT_HEAD = query("core/ensure_audit_head")
TAKE_AUDIT_HEAD = query("core/take_audit_head")
APPEND_AUDIT_EVENT = query("core/append_audit_event")
APPEND_AUDIT_EVENT_AFTER = query("core/append_audit_event_after")
# The audit trail's own queries (tests that pin an area's queries leave them out).
AUDIT_QUERIES = frozenset(
    {ENSURE_AUDIT_HEAD, TAKE_AUDIT_HEAD, APPEND_AUDIT_EVENT, APPEND_AUDIT_EVENT_AFTER}
)


# Values a record holds as they are (``Record.data()`` only changes nodes, relationships, paths
# and the lists and maps that may hold them).
_PLAIN_VALUES = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> bool:
    """A plain value, or a list or map of plain values (a traversal level's maps, one per
    edge), which ``data()`` would return as they are."""
    kind = type(value)
    if kind in _PLAIN_VALUES:
        return True
    if kind is list:
        return all(map(_plain, value))
    if kind is dict:
        return _PLAIN_VALUES.issuperset(map(type, value.values())) or all(
            map(_plain, value.values())
        )
    return False


def as_row(record: neo4j.Record) -> Row:
    """``record.data()``, built directly when every value is a plain one (or a list or map of
    them): a 5,000-node traversal reads ~5,000 edges, and ``data()`` walks each value through
    the driver's exporter (about 5x the time of building the dict; 8x for a level's maps)."""
    values = record.values()
    if _PLAIN_VALUES.issuperset(map(type, values)) or all(map(_plain, values)):
        return dict(zip(record.keys(), values, strict=True))
    return record.data()


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
        # Whether a query of this transaction changed the graph (the engine's counters); a
        # write transaction that changed nothing appends no audit event.
        self.changed = False

    async def run(self, name: str, params: Params | None = None) -> list[Row]:
        rows, changed = await self._executor._run_in(self._tx, name, params or {}, self.tenant)
        self.changed = self.changed or changed
        return rows


class Executor:
    def __init__(
        self,
        driver: AsyncDriver,
        database: str,
        catalog: Catalog,
        timeout: float,
        engine_down: Callable[[], bool] = lambda: False,
        max_concurrent_writes: int | None = None,
        diagnose: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.driver = driver
        self.database = database
        self.catalog = catalog
        self.timeout = timeout
        # Known-dead engine: answer SERVICE_UNAVAILABLE at once instead of letting the driver
        # retry a refused connection for its whole retry window.
        self._engine_down = engine_down
        # What the engine's own failures (Neo.DatabaseError.*) are known to mean on this
        # machine: a full disk gives ArcadeDB's "UnknownError" on every write.
        self._diagnose = diagnose
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
        # Tenants whose audit chain head is known to exist (made once, outside the writes that
        # append to it: concurrent first MERGEs of one node fail on ArcadeDB).
        self._audit_heads: set[str] = set()
        # Per tenant: the (seq, hash) of the last event this process appended. The next append
        # is built on it and written in one statement, which checks the head after locking it;
        # when another process moved the head, the append reads it and builds again.
        self._audit_tips: dict[str, tuple[int, str]] = {}

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
    ) -> tuple[list[Row], bool]:
        """The query's rows, and whether it changed the graph (unknown counts as changed)."""
        query = self.catalog[name]
        sent = self.bind(name, params, tenant)
        self.stats.queries += 1
        for observe in self.observers:
            observe(name, sent)
        started = time.perf_counter()
        result = await tx.run(query.text, sent)
        rows = [as_row(record) for record in await result.fetch(2**31 - 1)]
        summary = await result.consume()
        changed = summary is None or bool(summary.counters.contains_updates)
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "query %s %.1f ms, %d rows, params %r",
                name,
                (time.perf_counter() - started) * 1000,
                len(rows),
                sent,
            )
        return rows, changed

    async def read(
        self, name: str, params: Params | None = None, *, tenant: str | None = None
    ) -> list[Row]:
        async def work(tx: Tx) -> list[Row]:
            return await tx.run(name, params)

        return await self.read_tx(name, work, tenant=tenant)

    async def write(
        self,
        name: str,
        params: Params | None = None,
        *,
        tenant: str | None = None,
        audited: bool = True,
    ) -> list[Row]:
        async def work(tx: Tx) -> list[Row]:
            return await tx.run(name, params)

        return await self.write_tx(name, work, tenant=tenant, audited=audited)

    async def write_tx(
        self,
        label: str,
        work: Callable[[Tx], Awaitable[T]],
        *,
        tenant: str | None = None,
        audited: bool = True,
    ) -> T:
        """Run ``work`` in one write transaction, retried as a whole on transient errors.

        Inside a mutation (``audit.current_scope`` set) a tenant's write also appends one
        event to the tenant's audit chain, in the same transaction: committed together or not
        at all. ``audited=False`` only for bookkeeping writes (the tenant lock's creation)."""
        scope = audit.current_scope.get() if audited and tenant is not None else None

        async def unit(tx: AsyncManagedTransaction) -> T:
            within = Tx(self, tx, tenant)
            result = await work(within)
            if scope is not None and tenant is not None and within.changed:
                await self._append_audit(within, scope, tenant, label)
            return result

        if scope is None or tenant is None or tenant in self._audit_heads:
            return await self._write(label, unit)
        try:
            result = await self._write(label, unit)
        except Conflict:
            # The tenant's first audited write makes its chain head in the transaction; when
            # concurrent first writes race, ArcadeDB fails the MERGEs that lost (Neo4j waits).
            # The head exists now: run the whole transaction once more.
            self._audit_heads.add(tenant)
            return await self._write(label, unit)
        self._audit_heads.add(tenant)
        return result

    async def _write(
        self, label: str, unit: Callable[[AsyncManagedTransaction], Awaitable[T]]
    ) -> T:
        """One write transaction, once this process has a write slot free; refused at once
        when the engine's disk is known to be full (it would fail, possibly half-way)."""
        problem = self._diagnose()
        if problem is not None:
            raise EngineUnavailable(problem, cause="disk_full")
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

    async def _append_audit(self, tx: Tx, scope: audit.AuditScope, tenant: str, label: str) -> None:
        now = now_ms()
        event_id = f"audit--{uuid7()}"

        def event(seq: int, prev: str) -> dict[str, Any]:
            built = audit.build_event(
                scope,
                tenant=tenant,
                event_id=event_id,
                seq=seq,
                prev_hash=prev,
                at=now,
                query=label,
            )
            return {k: v for k, v in built.items() if k != "tenant"} | {"head_id": audit.HEAD_ID}

        tip = self._audit_tips.get(tenant)
        if tip is not None:
            params = event(tip[0] + 1, tip[1])
            if await tx.run(APPEND_AUDIT_EVENT_AFTER, params):
                self._audit_tips[tenant] = (params["seq"], params["hash"])
                return
        head = await tx.run(TAKE_AUDIT_HEAD, {"id": audit.HEAD_ID, "now": now})
        if not head:
            # The head went away since it was made (the tenant's data was deleted).
            made = {"id": audit.HEAD_ID, "genesis": audit.GENESIS, "now": now}
            await tx.run(ENSURE_AUDIT_HEAD, made)
            head = await tx.run(TAKE_AUDIT_HEAD, {"id": audit.HEAD_ID, "now": now})
        seq = int(head[0]["seq"]) if head else 0
        prev = str(head[0]["hash"]) if head else audit.GENESIS
        params = event(seq + 1, prev)
        await tx.run(APPEND_AUDIT_EVENT, params)
        self._audit_tips[tenant] = (params["seq"], params["hash"])

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
            # Raised by the statement or, on ArcadeDB, at commit; the transaction is rolled back.
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
            if exc.classification == "DatabaseError":
                problem = self._diagnose()
                if problem is not None:
                    log.error("engine failure in %s: %s (%s)", label, problem, exc.code)
                    raise EngineUnavailable(problem, cause="disk_full") from exc
            raise
        except DriverError:
            raise
        except OSError as exc:
            raise EngineUnavailable("the graph engine is unreachable; retry shortly") from exc
