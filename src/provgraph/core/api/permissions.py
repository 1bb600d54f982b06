"""Schema-wide guards that hold for every field, present and future."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from provgraph.core.domain.errors import Forbidden


class ReadOnlyGuard(SchemaExtension):
    """A read-only key cannot run any mutation (resolvers also check; this is the backstop)."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        principal = getattr(ctx.context, "principal", None)
        if (
            ctx.operation_type == OperationType.MUTATION
            and principal is not None
            and principal.read_only
        ):
            denied = Forbidden("this API key is read-only")
            # Setting a result before execution makes Strawberry skip the resolvers.
            ctx.result = ExecutionResult(
                data=None, errors=[GraphQLError(denied.message, original_error=denied)]
            )
        yield
