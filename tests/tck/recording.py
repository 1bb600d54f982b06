"""A recording executor: named queries in, canned rows out, no engine.

``RecordingExecutor`` overrides one hook of ``Executor``: ``_transaction``, the only method that
touches the driver. Everything above it runs for real, ``read``/``write``/``read_tx``/
``write_tx``, ``WriteTx.run`` and ``_run_in`` (the catalog lookup and whatever shared
parameters the executor merges in), and the transaction it hands to the work is a
``RecordingTx``: its ``run(text, parameters)`` is the exact point where a driver would receive
the query, so what is recorded is what an engine would be sent. The query's name is found
again from its text (catalog texts are unique; ``RecordingExecutor.__init__`` checks).

Each call is checked against the catalog header: a declared ``$param`` missing from the
parameters, or an undeclared one (other than ``tenant``, which an executor may merge into
every query), is recorded in ``problems``; the TCK fixture fails the test on any.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from neo4j import AsyncDriver

from provgraph.core.store.catalog import Catalog
from provgraph.core.store.executor import Executor
from provgraph.engine.connection import Engine

T = TypeVar("T")
Row = dict[str, Any]
Answer = list[Row] | Callable[[dict[str, Any]], list[Row]]

# Parameters an executor may add to every query whether or not the query names them.
SHARED_PARAMS = frozenset({"tenant"})


class NoEngine:
    """Stands where a driver would: any use of it fails the test at once."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the TCK has no engine: something used driver.{name}")


def fake_engine() -> Engine:
    """An ``Engine`` for ``serverInfo`` and the app's lifespan; it has no driver behind it."""
    return Engine(
        kind="tck-engine",
        driver=cast(AsyncDriver, NoEngine()),
        database="tck",
        uri="tck://nowhere",
        server_agent="TCK/1.0",
    )


@dataclass(frozen=True)
class Call:
    """One named query as an engine would receive it."""

    name: str
    params: dict[str, Any]
    tx: int  # the transaction's number in this recording (1, 2, ...)
    label: str  # the transaction's label (its query name, or e.g. ``runs/record``)
    write: bool


@dataclass
class _Record:
    """What the executor reads of a driver's record: its keys, its values in that order, and
    ``data()``."""

    row: Row

    def keys(self) -> list[str]:
        return list(self.row)

    def values(self) -> list[Any]:
        return list(self.row.values())

    def data(self) -> Row:
        return dict(self.row)


@dataclass
class RecordingResult:
    records: list[_Record]

    async def fetch(self, n: int) -> list[_Record]:
        out, self.records = self.records[:n], self.records[n:]
        return out

    async def data(self) -> list[Row]:
        return [r.data() for r in await self.fetch(len(self.records))]

    async def consume(self) -> None:
        self.records = []

    def __aiter__(self) -> RecordingResult:
        return self

    async def __anext__(self) -> _Record:
        if not self.records:
            raise StopAsyncIteration
        return self.records.pop(0)


@dataclass
class RecordingTx:
    """The transaction handed to the executor's work: records each query it is given."""

    executor: RecordingExecutor
    number: int
    label: str
    write: bool

    async def run(
        self, query: str, parameters: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> RecordingResult:
        params = {**(parameters or {}), **kwargs}
        rows = self.executor.record(query, params, self)
        return RecordingResult([_Record(r) for r in rows])


@dataclass
class Recording:
    """Calls in order, the canned answers, and what was wrong with any call."""

    calls: list[Call] = field(default_factory=list)
    answers: dict[str, Answer] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    transactions: int = 0


class RecordingExecutor(Executor):
    """An ``Executor`` whose transactions record their queries and answer canned rows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recording = Recording()
        by_text: dict[str, str] = {}
        for name in self.catalog.names():
            text = self.catalog[name].text
            if text in by_text:
                raise AssertionError(f"{name} and {by_text[text]} have the same text")
            by_text[text] = name
        self._names_by_text = by_text

    @classmethod
    def over(cls, catalog: Catalog, timeout: float = 30.0) -> RecordingExecutor:
        return cls(cast(AsyncDriver, NoEngine()), "tck", catalog, timeout)

    # --- the one overridden hook ----------------------------------------------------------

    async def _transaction(self, *args: Any, **kwargs: Any) -> Any:
        """Base: ``_transaction(label, work, *, write)``; read tolerantly, so added keywords
        (operation names, metadata) do not break the TCK."""
        label = str(kwargs.get("label", args[0] if args else "?"))
        work = kwargs.get("work")
        if work is None:
            work = next(a for a in args if callable(a))
        write = bool(kwargs.get("write", False))
        self.stats.transactions += 1
        self.recording.transactions += 1
        tx = RecordingTx(self, self.recording.transactions, label, write)
        return await cast(Callable[[Any], Awaitable[Any]], work)(tx)

    # --- recording ------------------------------------------------------------------------

    def record(self, text: str, params: dict[str, Any], tx: RecordingTx) -> list[Row]:
        name = self._names_by_text.get(text)
        if name is None:
            self.recording.problems.append(f"a query not in the catalog was sent: {text[:200]!r}")
            return []
        self.recording.calls.append(Call(name, params, tx.number, tx.label, tx.write))
        declared = self.catalog[name]
        missing = sorted(set(declared.params) - set(params))
        extra = sorted(set(params) - set(declared.params) - SHARED_PARAMS)
        if missing:
            self.recording.problems.append(f"{name}: parameters missing: {missing}")
        if extra:
            self.recording.problems.append(f"{name}: parameters not in its header: {extra}")
        answer = self.recording.answers.get(name, [])
        rows = answer(params) if callable(answer) else answer
        for row in rows:
            invented = sorted(set(row) - set(declared.returns))
            if invented:
                self.recording.problems.append(
                    f"canned row for {name} has columns the query does not return: {invented}"
                )
        return [dict(r) for r in rows]


def in_turn(*answers: list[Row]) -> Callable[[dict[str, Any]], list[Row]]:
    """An answer that gives each list once, in order, then empty lists."""
    queue: Iterator[list[Row]] = iter(answers)

    def answer(_params: dict[str, Any]) -> list[Row]:
        return next(queue, [])

    return answer
