"""Permissions, declared on fields (``extensions=[CanWrite()]``), and a schema-wide
backstop for mutations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.extensions.field_extension import AsyncExtensionResolver, FieldExtension
from strawberry.types.graphql import OperationType
from strawberry.types.nodes import SelectedField

from provgraph.core.api.context import Info
from provgraph.core.domain.errors import Forbidden
from provgraph.core.store import audit
from provgraph.core.store.executor import current_operation

READ_ONLY = "this API key is read-only"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


def correlation_id(info: Info) -> str:
    """The client's ``X-Request-Id`` (or ``X-Correlation-Id``) when sane, else the request's."""
    headers = getattr(info.context.request, "headers", {})
    for name in ("x-request-id", "x-correlation-id"):
        sent = headers.get(name)
        if sent and _REQUEST_ID.match(sent):
            return str(sent)
    return info.context.correlation_id


def raw_arguments(info: Info) -> dict[str, Any]:
    """The field's arguments as the client sent them (GraphQL names, variables resolved)."""
    for selected in info.selected_fields:
        if isinstance(selected, SelectedField):
            return dict(selected.arguments)
    return {}


class CanWrite(FieldExtension):
    """The caller's key may write: every mutation declares it,
    ``@strawberry.mutation(extensions=[CanWrite()])``.

    It also opens the mutation's audit scope (``core/store/audit.py``): every write
    transaction the resolver commits appends an audit event naming the key, the field, the
    ids in its arguments, a digest of them and the request's correlation id.

    A field extension rather than a ``BasePermission``: Strawberry's permission extension
    takes the parent object as a keyword named ``source``, which collides with mutations
    that have an argument called ``source`` (``addTaskEdge``); here the parent is ``root``.
    """

    async def resolve_async(  # type: ignore[override]  # ``root``: see above
        self, next_: AsyncExtensionResolver, root: Any, info: Info, **kwargs: Any
    ) -> Any:
        principal = info.context.principal
        if principal.read_only:
            raise Forbidden(READ_ONLY)
        with audit.scope(
            key_id=principal.key_id,
            action=info.field_name,
            operation=current_operation.get(),
            correlation_id=correlation_id(info),
            args=raw_arguments(info),
        ):
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
