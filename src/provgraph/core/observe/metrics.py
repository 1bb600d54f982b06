"""Prometheus metrics of one app (its own registry: several apps in one process stay apart)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from provgraph.core.observe.events import Event

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Operation names come from clients: only tidy names, and only so many, become label values.
MAX_OPERATION_NAMES = 200
_TIDY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


class _RoundTrips(Collector):
    """The executor's counts of engine queries and transactions, read at scrape time."""

    def __init__(self, stats: Callable[[], tuple[int, int]]) -> None:
        self._stats = stats

    def collect(self) -> Iterable[Metric]:
        queries, transactions = self._stats()
        family = CounterMetricFamily(
            "provgraph_engine_round_trips",
            "Engine round trips: queries sent and transactions opened",
            labels=["kind"],
        )
        family.add_metric(["query"], queries)
        family.add_metric(["transaction"], transactions)
        yield family


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "provgraph_graphql_requests",
            "GraphQL operations by name, type and outcome (OK or the first error's code)",
            ["operation", "type", "code"],
            registry=r,
        )
        self.errors = Counter(
            "provgraph_graphql_errors",
            "GraphQL errors by operation and extensions.code",
            ["operation", "code"],
            registry=r,
        )
        self.latency = Histogram(
            "provgraph_graphql_request_duration_seconds",
            "GraphQL operation latency",
            ["operation", "type"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.http = Counter(
            "provgraph_http_requests",
            "HTTP requests by route and status (401/403/413 never reach GraphQL)",
            ["route", "method", "status"],
            registry=r,
        )
        self.http_latency = Histogram(
            "provgraph_http_request_duration_seconds",
            "HTTP request latency by route",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.ingest = Counter(
            "provgraph_ingest_elements",
            "Run elements created by recordRun, by kind (node, edge)",
            ["kind"],
            registry=r,
        )
        self.engine_up = Gauge(
            "provgraph_engine_up",
            "1 when the engine answered a query at the last scrape",
            registry=r,
        )
        self.subscriptions = Gauge(
            "provgraph_subscriptions", "Open GraphQL subscriptions of this process", registry=r
        )
        self._names: set[str] = set()

    def watch_executor(self, stats: Callable[[], tuple[int, int]]) -> None:
        self.registry.register(_RoundTrips(stats))

    def operation_label(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if not _TIDY.match(name):
            return "other"
        if name not in self._names:
            if len(self._names) >= MAX_OPERATION_NAMES:
                return "other"
            self._names.add(name)
        return name

    def on_event(self, event: Event) -> None:
        if event.topic == "run.elements":
            self.ingest.labels("node").inc(len(event.payload.get("nodes", ())))
            self.ingest.labels("edge").inc(len(event.payload.get("edges", ())))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

    def observe_operation(
        self, name: str | None, kind: str, codes: list[str], seconds: float
    ) -> None:
        operation = self.operation_label(name)
        self.requests.labels(operation, kind, codes[0] if codes else "OK").inc()
        for code in codes:
            self.errors.labels(operation, code).inc()
        self.latency.labels(operation, kind).observe(seconds)


class Timer:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


def route_label(path: str, known: Iterator[str] | Iterable[str]) -> str:
    """A bounded label for a path: a known route, ``/static``, or ``other``."""
    if path.startswith("/static/"):
        return "/static"
    return path if path in set(known) else "other"
