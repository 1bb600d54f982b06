"""Bounded work per document, enforced before anything runs.

``DocumentGate`` is one Strawberry extension that takes over parsing and validation (with the
same LRU caching as Strawberry's ``ParserCache``/``ValidationCache``) and adds:

- a big document is parsed, and a document with many fields validated, in a worker thread, so
  one request's parse or validation never holds the event loop that serves the others;
- a document whose fields, fragment spreads expanded, exceed ``max_expanded_fields`` is refused
  (``QUERY_TOO_COMPLEX``) before validation, whose rules would walk every expansion;
- an operation whose cost (``api.cost``) exceeds ``max_query_cost`` is refused
  (``QUERY_TOO_COSTLY``, naming the cost and the budget) before execution: no engine work.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from functools import lru_cache
from typing import Any

from graphql import DocumentNode, ExecutionResult, GraphQLError, parse
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from provgraph.core.api.cost import expanded_fields, operation_cost
from provgraph.core.domain.errors import ProvgraphError

# Above these sizes, parsing / validation go to a worker thread (small ones stay inline: a
# thread hop costs more than they do).
OFF_LOOP_QUERY_CHARS = 16 * 1024
OFF_LOOP_FIELDS = 300
CACHE_SIZE = 256


class QueryTooComplex(ProvgraphError):
    code = "QUERY_TOO_COMPLEX"


class QueryTooCostly(ProvgraphError):
    code = "QUERY_TOO_COSTLY"


# Keyed by the text and the options; shared by every request (as Strawberry's caches are).
_cached_parse: Callable[..., DocumentNode] = lru_cache(maxsize=CACHE_SIZE)(
    lambda query, max_tokens: parse(query, max_tokens=max_tokens)
)
_cached_validate: Callable[..., list[GraphQLError]] = lru_cache(maxsize=CACHE_SIZE)(
    validate_document
)
_cached_expanded: Callable[[DocumentNode], int] = lru_cache(maxsize=CACHE_SIZE)(expanded_fields)


def _refusal(exc: ProvgraphError) -> GraphQLError:
    return GraphQLError(exc.message, original_error=exc)


def _too_deep() -> GraphQLError:
    return _refusal(QueryTooComplex("the document is nested too deeply"))


class DocumentGate(SchemaExtension):
    """Parse, count, validate and price a document; refuse what is over a limit."""

    def __init__(self, *, max_expanded_fields: int, max_query_cost: int, max_page: int) -> None:
        super().__init__()
        self.max_expanded_fields = max_expanded_fields
        self.max_query_cost = max_query_cost
        self.max_page = max_page

    async def on_parse(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is None and ctx.query:
            max_tokens = ctx.parse_options.get("max_tokens")
            try:
                if len(ctx.query) > OFF_LOOP_QUERY_CHARS:
                    ctx.graphql_document = await asyncio.to_thread(
                        _cached_parse, ctx.query, max_tokens
                    )
                else:
                    ctx.graphql_document = _cached_parse(ctx.query, max_tokens)
            except RecursionError:
                raise _too_deep() from None
        yield

    async def on_validate(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        if document is not None and ctx.pre_execution_errors is None:
            try:
                fields = _cached_expanded(document)
            except RecursionError:
                ctx.pre_execution_errors = [_too_deep()]
            else:
                if fields > self.max_expanded_fields:
                    refused = QueryTooComplex(
                        f"the document selects {fields} fields once its fragments are expanded; "
                        f"the limit is {self.max_expanded_fields}",
                        fields=fields,
                        limit=self.max_expanded_fields,
                    )
                    ctx.pre_execution_errors = [_refusal(refused)]
                else:
                    ctx.pre_execution_errors = await self._validate(document, fields)
        yield

    async def _validate(self, document: DocumentNode, fields: int) -> list[GraphQLError]:
        ctx = self.execution_context
        args = (ctx.schema._schema, document, ctx.validation_rules)
        try:
            if fields > OFF_LOOP_FIELDS or len(ctx.query or "") > OFF_LOOP_QUERY_CHARS:
                return await asyncio.to_thread(_cached_validate, *args)
            return _cached_validate(*args)
        except RecursionError:
            return [_too_deep()]

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        operation = (
            get_operation_ast(document, ctx.operation_name) if document is not None else None
        )
        if document is not None and operation is not None and ctx.result is None:
            variables: dict[str, Any] = ctx.variables if isinstance(ctx.variables, dict) else {}
            try:
                cost = operation_cost(
                    ctx.schema._schema, document, operation, variables, max_page=self.max_page
                )
            except RecursionError:
                ctx.result = ExecutionResult(data=None, errors=[_too_deep()])
            else:
                if cost > self.max_query_cost:
                    refused = QueryTooCostly(
                        f"the operation costs {cost}; the budget is {self.max_query_cost} "
                        "(PROVGRAPH_MAX_QUERY_COST)",
                        cost=cost,
                        budget=self.max_query_cost,
                    )
                    ctx.result = ExecutionResult(data=None, errors=[_refusal(refused)])
        yield
