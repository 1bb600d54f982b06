"""Bounded work per document, enforced before anything runs.

``DocumentGate`` is one Strawberry extension that takes over parsing and validation (with the
same LRU caching as Strawberry's ``ParserCache``/``ValidationCache``), applies the token limit
(``max_tokens``, as Strawberry's ``MaxTokensLimiter`` would) and the extra validation rules it is
given (the depth and alias limiters', as ``AddValidationRules`` would), and adds:

- a big document is parsed, and a document with many fields validated, in a worker thread, so
  one request's parse or validation never holds the event loop that serves the others;
- a document whose fields, fragment spreads expanded, exceed ``max_expanded_fields`` is refused
  (``QUERY_TOO_COMPLEX``) before validation, whose rules would walk every expansion;
- an operation whose cost (``api.cost``) exceeds ``max_query_cost`` is refused
  (``QUERY_TOO_COSTLY``, naming the cost and the budget) before execution: no engine work.

What it learns of a document it parsed is kept by the document's text (a string's hash is
computed once; a parsed document's is a walk of its whole tree, each time): the field count, the
validation errors, and the cost of each operation when no variable changes it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    parse,
)
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from provgraph.core.api.cost import VariableDependent, expanded_fields, operation_cost
from provgraph.core.domain.errors import ProvgraphError

# Above these sizes, parsing / validation go to a worker thread (small ones stay inline: a
# thread hop costs more than they do).
OFF_LOOP_QUERY_CHARS = 16 * 1024
OFF_LOOP_FIELDS = 300
CACHE_SIZE = 256

Rules = tuple[type[ASTValidationRule], ...]


class QueryTooComplex(ProvgraphError):
    code = "QUERY_TOO_COMPLEX"


class QueryTooCostly(ProvgraphError):
    code = "QUERY_TOO_COSTLY"


# Keyed by the text and the options; shared by every request (as Strawberry's caches are).
@lru_cache(maxsize=CACHE_SIZE)
def _cached_parse(query: str, max_tokens: int | None) -> DocumentNode:
    return parse(query, max_tokens=max_tokens)


@lru_cache(maxsize=CACHE_SIZE)
def _expanded_of_text(query: str, max_tokens: int | None) -> int:
    return expanded_fields(_cached_parse(query, max_tokens))


@lru_cache(maxsize=CACHE_SIZE)
def _validated_text(
    schema: GraphQLSchema, query: str, max_tokens: int | None, rules: Rules
) -> list[GraphQLError]:
    return validate_document(schema, _cached_parse(query, max_tokens), rules)


# A document given already parsed (not by this gate): keyed by the document itself.
_cached_expanded: Callable[[DocumentNode], int] = lru_cache(maxsize=CACHE_SIZE)(expanded_fields)
_cached_validate: Callable[..., list[GraphQLError]] = lru_cache(maxsize=CACHE_SIZE)(
    validate_document
)


@lru_cache(maxsize=CACHE_SIZE)
def _static_cost(
    schema: GraphQLSchema,
    query: str,
    max_tokens: int | None,
    operation_name: str | None,
    max_page: int,
) -> int | None:
    """The cost of the operation when no variable changes it (None when one may)."""
    document = _cached_parse(query, max_tokens)
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    try:
        return operation_cost(schema, document, operation, None, max_page=max_page, strict=True)
    except VariableDependent:
        return None


def _refusal(exc: ProvgraphError) -> GraphQLError:
    return GraphQLError(exc.message, original_error=exc)


def _too_deep() -> GraphQLError:
    return _refusal(QueryTooComplex("the document is nested too deeply"))


class DocumentGate(SchemaExtension):
    """Parse, count, validate and price a document; refuse what is over a limit."""

    def __init__(
        self,
        *,
        max_expanded_fields: int,
        max_query_cost: int,
        max_page: int,
        max_tokens: int | None = None,
        validation_rules: Sequence[type[ASTValidationRule]] = (),
    ) -> None:
        super().__init__()
        self.max_expanded_fields = max_expanded_fields
        self.max_query_cost = max_query_cost
        self.max_page = max_page
        self.max_tokens = max_tokens
        self.validation_rules = tuple(validation_rules)
        # The text this gate parsed (its facts are cached by it), with the token limit.
        self._parsed: tuple[str, int | None] | None = None

    def on_operation(self) -> Iterator[None]:
        ctx = self.execution_context
        if self.max_tokens is not None:
            ctx.parse_options["max_tokens"] = self.max_tokens
        if self.validation_rules:
            ctx.validation_rules = ctx.validation_rules + self.validation_rules
        yield

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
            self._parsed = (ctx.query, max_tokens)
        yield

    async def on_validate(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        if document is not None and ctx.pre_execution_errors is None:
            try:
                fields = (
                    _expanded_of_text(*self._parsed)
                    if self._parsed is not None
                    else _cached_expanded(document)
                )
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
        schema, rules = ctx.schema._schema, tuple(ctx.validation_rules)
        parsed = self._parsed
        check: Callable[[], list[GraphQLError]]
        if parsed is not None:

            def check() -> list[GraphQLError]:
                return _validated_text(schema, parsed[0], parsed[1], rules)
        else:

            def check() -> list[GraphQLError]:
                return _cached_validate(schema, document, rules)

        try:
            if fields > OFF_LOOP_FIELDS or len(ctx.query or "") > OFF_LOOP_QUERY_CHARS:
                return await asyncio.to_thread(check)
            return check()
        except RecursionError:
            return [_too_deep()]

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None and ctx.result is None:
            try:
                cost = self._cost(ctx.graphql_document, ctx.operation_name, ctx.variables)
            except RecursionError:
                ctx.result = ExecutionResult(data=None, errors=[_too_deep()])
            else:
                if cost is not None and cost > self.max_query_cost:
                    refused = QueryTooCostly(
                        f"the operation costs {cost}; the budget is {self.max_query_cost} "
                        "(PROVGRAPH_MAX_QUERY_COST)",
                        cost=cost,
                        budget=self.max_query_cost,
                    )
                    ctx.result = ExecutionResult(data=None, errors=[_refusal(refused)])
        yield

    def _cost(
        self, document: DocumentNode, operation_name: str | None, variables: object
    ) -> int | None:
        """The operation's cost (None: no such operation, which execution reports)."""
        schema = self.execution_context.schema._schema
        if self._parsed is not None:
            known = _static_cost(schema, *self._parsed, operation_name, self.max_page)
            if known is not None:
                return known
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            return None
        given: Mapping[str, Any] = variables if isinstance(variables, dict) else {}
        return operation_cost(schema, document, operation, given, max_page=self.max_page)
