"""Permissions, declared on fields (``extensions=[CanWrite()]``), and a schema-wide
backstop for mutations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.extensions.field_extension import AsyncExtensionResolver, FieldExtension
from strawberry.types.graphql import OperationType

from provgraph.core.api.context import Info
from provgraph.core.domain.errors import Forbidden

READ_ONLY = "this API key is read-only"


class CanWrite(FieldExtension):
    """The caller's key may write: every mutation declares it,
    ``@strawberry.mutation(extensions=[CanWrite()])``.

    A field extension rather than a ``BasePermission``: Strawberry's permission extension
    takes the parent object as a keyword named ``source``, which collides with mutations
    that have an argument called ``source`` (``addTaskEdge``); here the parent is ``root``.
    """

    async def resolve_async(  # type: ignore[override]  # ``root``: see above
        self, next_: AsyncExtensionResolver, root: Any, info: Info, **kwargs: Any
    ) -> Any:
        if info.context.principal.read_only:
            raise Forbidden(READ_ONLY)
        return await next_(root, info, **kwargs)


class ReadOnlyGuard(SchemaExtension):
    """A read-only key cannot run any mutation, even one that forgot ``CanWrite``."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        principal = getattr(ctx.context, "principal", None)
        if (
            ctx.operation_type == OperationType.MUTATION
            and principal is not None
            and principal.read_only
        ):
            denied = Forbidden(READ_ONLY)
            # Setting a result before execution makes Strawberry skip the resolvers.
            ctx.result = ExecutionResult(
                data=None, errors=[GraphQLError(denied.message, original_error=denied)]
            )
        yield
