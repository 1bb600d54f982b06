"""Names each engine transaction after the GraphQL operation that caused it."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from provgraph.core.store.executor import current_operation


class OperationName(SchemaExtension):
    """Puts the operation's name (or its type, for anonymous ones) where the executor adds it
    to every transaction's metadata, for the engine's transaction listings and logs."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        name = ctx.operation_name or (ctx.operation_type.value if ctx.operation_type else None)
        token = current_operation.set(name)
        try:
            yield
        finally:
            current_operation.reset(token)
