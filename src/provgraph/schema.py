"""The GraphQL schema: the areas' Query and Mutation types merged (``areas.py``), with limits
as extensions."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from provgraph.areas import mutation_types, query_types, subscription_types
from provgraph.config import Settings
from provgraph.core.api.execution import ProvgraphExecutionContext
from provgraph.core.api.limits import DocumentGate
from provgraph.core.api.metrics import OperationMetrics
from provgraph.core.api.operation import OperationName
from provgraph.core.api.permissions import ReadOnlyGuard
from provgraph.core.observe.metrics import Metrics


class ProvgraphSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Errors are classified, masked and logged once, in api.errors.format_error.
        return None


def build_schema(
    settings: Settings | None = None, metrics: Metrics | None = None
) -> strawberry.Schema:
    settings = settings or Settings()
    query = merge_types("Query", query_types())
    mutations = mutation_types()
    mutation = merge_types("Mutation", mutations) if mutations else None
    subscriptions = subscription_types()
    subscription = merge_types("Subscription", subscriptions) if subscriptions else None
    # The limiters' validation rules are built once: the validation cache keys on the rule
    # classes, and each limiter instance makes new ones (a cache miss on every request).
    limit_rules = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    observed: list[Any] = [] if metrics is None else [lambda: OperationMetrics(metrics)]
    schema = ProvgraphSchema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        # Plain fields (most of a large answer) completed without the general resolver path.
        execution_context_class=ProvgraphExecutionContext,
        extensions=[
            *observed,
            ReadOnlyGuard,
            OperationName,
            # Factories: Strawberry builds fresh extension instances per request.
            # Parses (with the token limit) and validates (with the limiters' rules): each
            # document once, LRU, big ones off the event loop; refuses documents over the
            # expanded-field limit and operations over the budget.
            lambda: DocumentGate(
                max_expanded_fields=settings.max_expanded_fields,
                max_query_cost=settings.max_query_cost,
                max_page=settings.max_page_size,
                max_tokens=settings.max_tokens,
                validation_rules=limit_rules,
            ),
        ],
    )
    return schema
