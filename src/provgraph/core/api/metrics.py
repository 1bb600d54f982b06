"""Counts and times every GraphQL operation into the app's Prometheus metrics."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from provgraph.core.api.errors import error_code
from provgraph.core.observe.metrics import Metrics, Timer


class OperationMetrics(SchemaExtension):
    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def on_operation(self) -> Iterator[None]:
        timer = Timer()
        yield
        ctx = self.execution_context
        # The result carries the parse/validation errors too once there is one.
        found = ctx.result.errors if ctx.result is not None else ctx.pre_execution_errors
        errors: list[GraphQLError] = list(found or [])
        try:
            kind = ctx.operation_type.value
        except RuntimeError:  # the document did not parse: no operation type
            kind = "unknown"
        self._metrics.observe_operation(
            ctx.operation_name, kind, [error_code(e) for e in errors], timer.seconds
        )
