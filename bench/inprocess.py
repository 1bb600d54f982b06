"""provgraph in this process (ASGI, no socket), to see which named queries a request runs.

The executor is the only code that calls the driver, and it counts its queries in
``stats.queries``. Wrapping its per-query step records each query's catalog name and parameters,
so the driver baseline can run exactly what provgraph ran, and round trips can be counted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.harness import Bench
from provgraph.app import create_app
from provgraph.core.store.executor import Executor

Call = tuple[str, dict[str, Any]]


@dataclass
class Recorder:
    """The (catalog name, parameters) of every query the executor runs while recording."""

    calls: list[Call] = field(default_factory=list)
    on: bool = False
    transactions: int = 0  # transactions the last recording opened
    _executor: Executor | None = None

    def wrap(self, executor: Executor) -> None:
        self._executor = executor

        def observe(name: str, params: Mapping[str, Any]) -> None:
            if self.on:
                self.calls.append((name, dict(params)))

        executor.observers.append(observe)

    @asynccontextmanager
    async def recording(self) -> AsyncIterator[list[Call]]:
        self.calls = []
        self.on = True
        before = self._executor.stats.transactions if self._executor else 0
        try:
            yield self.calls
        finally:
            self.on = False
            after = self._executor.stats.transactions if self._executor else 0
            self.transactions = after - before


@dataclass
class InProcess:
    client: httpx.AsyncClient
    executor: Executor
    recorder: Recorder


@asynccontextmanager
async def inprocess(bench: Bench) -> AsyncIterator[InProcess]:
    app = create_app(bench.settings, engine=bench.engine)
    async with app.router.lifespan_context(app):
        executor: Executor = app.state.provgraph.executor
        recorder = Recorder()
        recorder.wrap(executor)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            yield InProcess(client, executor, recorder)
