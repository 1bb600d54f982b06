"""``Client`` / ``AsyncClient``: GraphQL over HTTP with retries, ``recordRun`` batches, and the
forensic questions; ``Recorder`` / ``AsyncRecorder``: a run recorded as it happens."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

import httpx

from provgraph.client import queries
from provgraph.client.protocol import (
    DEFAULT_URL,
    Attempts,
    Retry,
    RetryPolicy,
    answer,
    endpoint,
    headers,
    request_body,
)
from provgraph.client.queries import Question
from provgraph.client.run import DEFAULT_BATCH_SIZE, RECORD_RUN, RunBuffer


class _ClientBase:
    """What ``Client`` and ``AsyncClient`` share; each adds its HTTP client and the calls."""

    def __init__(self, url: str, retry: RetryPolicy | None) -> None:
        self._url = endpoint(url)
        self.retry = retry or RetryPolicy()


class Client(_ClientBase):
    """A provgraph server (sync). ``key``: an API key (``provgraph keys create``)."""

    def __init__(
        self,
        url: str = DEFAULT_URL,
        key: str | None = None,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(url, retry)
        self._http = httpx.Client(headers=headers(key), timeout=timeout, transport=transport)
        self._sleep = sleep

    def graphql(self, document: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The answer's data; retried on transport errors, 429/502/503/504 and
        SERVICE_UNAVAILABLE/DEADLINE_EXCEEDED (safe: provgraph's writes are idempotent);
        a typed ``ProvgraphError`` otherwise."""
        body = request_body(document, variables)
        attempts = Attempts(self.retry)
        for delay in attempts:
            if delay is not None:
                self._sleep(delay)
            try:
                return answer(self._http.post(self._url, json=body))
            except (httpx.TransportError, Retry) as exc:
                attempts.failed(exc)
        raise attempts.gave_up()

    def _ask(self, question: Question) -> dict[str, Any]:
        return dict(self.graphql(question.document, question.variables)[question.field])

    def record_run(self, batch: Mapping[str, Any]) -> dict[str, Any]:
        payload: dict[str, Any] = self.graphql(RECORD_RUN, {"input": batch})["recordRun"]
        return payload

    def recorder(self, run_id: str, **options: Any) -> Recorder:
        return Recorder(run_id, client=self, **options)

    # --- forensic questions --------------------------------------------------------------

    def ancestors(self, node_id: str, depth: int = 3) -> dict[str, Any]:
        """Everything that could have influenced the node (nodes by distance, edges)."""
        return self._ask(queries.ancestors(node_id, depth))

    def descendants(self, node_id: str, depth: int = 3) -> dict[str, Any]:
        return self._ask(queries.descendants(node_id, depth))

    def lineage(self, from_id: str, to_id: str, max_depth: int | None = None) -> dict[str, Any]:
        """The causal paths between two nodes, either way."""
        return self._ask(queries.lineage(from_id, to_id, max_depth))

    def run_diff(self, run_id: str, other_run_id: str) -> dict[str, Any]:
        """Two runs compared step by step (``firstDivergentStep``)."""
        return self._ask(queries.run_diff(run_id, other_run_id))

    def verify_run(self, run_id: str) -> dict[str, Any]:
        """Recompute a run's hashes (``ok``; ``mismatches`` names the nodes that differ)."""
        return self._ask(queries.verify_run(run_id))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(_ClientBase):
    """A provgraph server (asyncio): the same methods as ``Client``, awaited."""

    def __init__(
        self,
        url: str = DEFAULT_URL,
        key: str | None = None,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        super().__init__(url, retry)
        self._http = httpx.AsyncClient(headers=headers(key), timeout=timeout, transport=transport)
        self._sleep = sleep

    async def graphql(
        self, document: str, variables: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        body = request_body(document, variables)
        attempts = Attempts(self.retry)
        for delay in attempts:
            if delay is not None:
                await self._sleep(delay)
            try:
                return answer(await self._http.post(self._url, json=body))
            except (httpx.TransportError, Retry) as exc:
                attempts.failed(exc)
        raise attempts.gave_up()

    async def _ask(self, question: Question) -> dict[str, Any]:
        return dict((await self.graphql(question.document, question.variables))[question.field])

    async def record_run(self, batch: Mapping[str, Any]) -> dict[str, Any]:
        payload: dict[str, Any] = (await self.graphql(RECORD_RUN, {"input": batch}))["recordRun"]
        return payload

    def recorder(self, run_id: str, **options: Any) -> AsyncRecorder:
        return AsyncRecorder(run_id, client=self, **options)

    async def ancestors(self, node_id: str, depth: int = 3) -> dict[str, Any]:
        return await self._ask(queries.ancestors(node_id, depth))

    async def descendants(self, node_id: str, depth: int = 3) -> dict[str, Any]:
        return await self._ask(queries.descendants(node_id, depth))

    async def lineage(
        self, from_id: str, to_id: str, max_depth: int | None = None
    ) -> dict[str, Any]:
        return await self._ask(queries.lineage(from_id, to_id, max_depth))

    async def run_diff(self, run_id: str, other_run_id: str) -> dict[str, Any]:
        return await self._ask(queries.run_diff(run_id, other_run_id))

    async def verify_run(self, run_id: str) -> dict[str, Any]:
        return await self._ask(queries.verify_run(run_id))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class Recorder(RunBuffer):
    """A run recorded as it happens (sync). Nodes and edges are buffered and sent as one
    ``recordRun`` batch when ``batch_size`` elements are buffered, on ``flush()`` and on
    close; leaving the ``with`` block marks the run SUCCEEDED (FAILED on an exception).
    Give ``client`` or ``url``/``key``."""

    def __init__(
        self,
        run_id: str,
        *,
        client: Client | None = None,
        url: str = DEFAULT_URL,
        key: str | None = None,
        agent_id: str | None = None,
        session_id: str | None = None,
        metadata: Mapping[str, Any] | str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        super().__init__(run_id, agent_id, session_id, metadata, batch_size)
        self._own = client is None
        self.client = client if client is not None else Client(url, key)

    def _node(self, kind: str, step: int | None, **fields: Any) -> str:
        node_id = super()._node(kind, step, **fields)
        if self.full:
            self.flush()
        return node_id

    def flush(self) -> None:
        """Send what is buffered (and a batch an earlier attempt could not deliver)."""
        self._send(final=False)

    def _send(self, *, final: bool) -> None:
        if self.pending is not None:
            self.acknowledged(self.client.record_run(self.pending))
        batch = self.take(final=final)
        if batch is not None:
            self.acknowledged(self.client.record_run(batch))

    def close(self, status: str = "SUCCEEDED") -> None:
        """Mark the run ended with ``status`` and send everything left."""
        self.finish(status)
        try:
            self._send(final=True)
        finally:
            if self._own:
                self.client.close()

    def __enter__(self) -> Recorder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close("FAILED" if exc_type is not None else "SUCCEEDED")


class AsyncRecorder(RunBuffer):
    """``Recorder`` for asyncio: ``async with``; node methods buffer only, ``await
    rec.flush()`` sends (a full buffer is sent on the next ``flush`` or on close)."""

    def __init__(
        self,
        run_id: str,
        *,
        client: AsyncClient | None = None,
        url: str = DEFAULT_URL,
        key: str | None = None,
        agent_id: str | None = None,
        session_id: str | None = None,
        metadata: Mapping[str, Any] | str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        super().__init__(run_id, agent_id, session_id, metadata, batch_size)
        self._own = client is None
        self.client = client if client is not None else AsyncClient(url, key)

    async def flush(self) -> None:
        await self._send(final=False)

    async def maybe_flush(self) -> None:
        """Send when ``batch_size`` elements are buffered (call it between steps)."""
        if self.full:
            await self.flush()

    async def _send(self, *, final: bool) -> None:
        if self.pending is not None:
            self.acknowledged(await self.client.record_run(self.pending))
        batch = self.take(final=final)
        if batch is not None:
            self.acknowledged(await self.client.record_run(batch))

    async def close(self, status: str = "SUCCEEDED") -> None:
        self.finish(status)
        try:
            await self._send(final=True)
        finally:
            if self._own:
                await self.client.aclose()

    async def __aenter__(self) -> AsyncRecorder:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close("FAILED" if exc_type is not None else "SUCCEEDED")
