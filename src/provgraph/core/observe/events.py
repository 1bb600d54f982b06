"""The in-process event bus: services publish what they committed; subscriptions and metrics
listen.

Services call ``publish`` after their transaction committed (never inside it: a rolled-back
write must not be announced). Delivery is in-process only: a write made by another provgraph
process is not seen here (README "Subscriptions").
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger(__name__)

# A slow subscriber is cut off rather than let its queue grow without bound.
QUEUE_LIMIT = 1000


@dataclass(frozen=True)
class Event:
    tenant: str
    topic: str  # e.g. "run.elements", "run.status", "task"
    key: str  # what it is about: the run id, the task id
    payload: Mapping[str, Any] = field(default_factory=dict)


class EventPublisher(Protocol):
    def publish(self, event: Event) -> None: ...


class Overflowed(Exception):
    """The subscriber fell more than QUEUE_LIMIT events behind."""


class _Subscriber:
    def __init__(self, tenant: str, topics: frozenset[str], key: str | None) -> None:
        self.tenant = tenant
        self.topics = topics
        self.key = key
        self.queue: asyncio.Queue[Event | None] = asyncio.Queue(QUEUE_LIMIT)
        self.overflowed = False

    def wants(self, event: Event) -> bool:
        return (
            event.tenant == self.tenant
            and event.topic in self.topics
            and (self.key is None or event.key == self.key)
        )


class EventBus:
    """Fans each event out to the subscribers of its tenant (and topic, and key)."""

    def __init__(self) -> None:
        self._subscribers: set[_Subscriber] = set()
        self.listeners: list[Callable[[Event], None]] = []

    def publish(self, event: Event) -> None:
        for listen in self.listeners:
            try:
                listen(event)
            except Exception:  # a listener's bug must not fail the write that was committed
                log.exception("event listener failed on %s", event.topic)
        for sub in list(self._subscribers):
            if not sub.wants(event) or sub.overflowed:
                continue
            try:
                sub.queue.put_nowait(event)
            except asyncio.QueueFull:
                sub.overflowed = True
                sub.queue = asyncio.Queue(1)
                sub.queue.put_nowait(None)

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    @asynccontextmanager
    async def subscribe(
        self, tenant: str, topics: set[str] | frozenset[str], key: str | None = None
    ) -> AsyncIterator[AsyncIterator[Event]]:
        sub = _Subscriber(tenant, frozenset(topics), key)
        self._subscribers.add(sub)

        async def events() -> AsyncIterator[Event]:
            while True:
                event = await sub.queue.get()
                if event is None:
                    raise Overflowed(f"more than {QUEUE_LIMIT} events behind")
                yield event

        try:
            yield events()
        finally:
            self._subscribers.discard(sub)
