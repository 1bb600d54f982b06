"""What a document asks of the server, counted before it runs.

Two numbers, both computed in time linear in the document (each fragment is counted once and
its result reused wherever it is spread, so a fragment that spreads the next one twice, 24 levels
deep, is counted in 24 steps, not 2^24):

- **expanded fields**: the fields a document selects once every fragment spread is replaced by
  the fragment's fields. This is the work validation and execution do on the document itself.
- **cost** of the operation that runs, in items the server may load:
  ``cost(field) = weight + multiplier * cost(selections)``, summed over the selections.
  ``weight`` is 0 for a scalar or enum field, 1 for a field that returns objects (one item),
  0 for the wrappers of a connection (``edges``, ``pageInfo``: an edge's ``node`` is the item),
  and a declared weight for the fields that make the engine
  load a whole run or walk a graph (``FIELD_WEIGHTS``). ``multiplier`` is the page size for a
  connection (its ``first``, or the default page size when absent, at most the page-size cap)
  and the number of ids for ``nodes(ids:)``, else 1. So ``tasks(first: 100) { edges { node {
  id comments(first: 10) { edges { node { body } } } } } }`` costs 1 + 100 * (1 + 10 * 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_leaf_type,
)

# Root fields whose answer needs a whole run, two runs or a breadth-first walk (capped at
# PROVGRAPH_MAX_RESULT_NODES, 5,000 by default): weighed as that many items or more.
FIELD_WEIGHTS: Mapping[str, int] = {
    "Query.verifyRun": 10_000,
    "Query.runDiff": 20_000,
    "Query.runSubgraph": 5_000,
    "Query.ancestors": 5_000,
    "Query.descendants": 5_000,
    "Query.lineage": 5_000,
    "Query.dependencyTree": 5_000,
    "Query.taskAncestors": 5_000,
    "Query.taskDescendants": 5_000,
    "Query.provDocument": 20_000,
}

DEFAULT_PAGE_SIZE = 50


class VariableDependent(Exception):
    """A strict pricing met a variable: the cost depends on the request's variables."""


def expanded_fields(document: DocumentNode) -> int:
    """Fields of every operation of ``document``, fragment spreads expanded (memoized)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    memo: dict[str, int] = {}
    busy: set[str] = set()

    def count(selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += 1 + count(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                total += count(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += spread(selection.name.value)
        return total

    def spread(name: str) -> int:
        if name in memo:
            return memo[name]
        fragment = fragments.get(name)
        if fragment is None or name in busy:
            return 0  # unknown fragments and cycles are validation errors of their own
        busy.add(name)
        memo[name] = count(fragment.selection_set)
        busy.discard(name)
        return memo[name]

    return sum(
        count(d.selection_set)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    )


def _is_wrapper(parent: GraphQLObjectType | GraphQLInterfaceType) -> bool:
    """A Relay connection: its ``edges`` and ``pageInfo`` are not items of their own."""
    return "edges" in parent.fields and "pageInfo" in parent.fields


@dataclass
class _Pricer:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    defaults: dict[str, Any]
    weights: Mapping[str, int]
    max_page: int
    memo: dict[str, int] = field(default_factory=dict)
    busy: set[str] = field(default_factory=set)
    # Refuse to read a variable (VariableDependent): the cost then holds for any variables.
    strict: bool = False

    def value(self, node: Any) -> Any:
        """A literal or a variable's value (or its declared default); None if unknown."""
        if isinstance(node, VariableNode):
            if self.strict:
                raise VariableDependent(node.name.value)
            name = node.name.value
            return self.variables.get(name, self.defaults.get(name))
        if isinstance(node, IntValueNode):
            try:
                return int(node.value)
            except ValueError:  # pragma: no cover - the lexer only makes digits
                return None
        if isinstance(node, ListValueNode):
            return list(node.values)
        return None

    def multiplier(self, node: FieldNode, arg_names: set[str]) -> int:
        args = {a.name.value: a.value for a in node.arguments or ()}
        if "first" in arg_names:
            first = self.value(args["first"]) if "first" in args else None
            if first is None:
                return min(DEFAULT_PAGE_SIZE, self.max_page)
            if isinstance(first, int) and not isinstance(first, bool):
                return max(0, min(first, self.max_page))
            return self.max_page  # not an Int: execution refuses it; price it at the cap
        if "ids" in arg_names and "ids" in args:
            ids = self.value(args["ids"])
            return len(ids) if isinstance(ids, list) else 1
        return 1

    def selections(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(selection.selection_set, inner or parent)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.spread(selection.name.value)
        return total

    def field(self, node: FieldNode, parent: GraphQLNamedType) -> int:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return 0  # __typename and the like, or an unknown field (a validation error)
        returns = get_named_type(definition.type)
        default = 0 if is_leaf_type(returns) or _is_wrapper(parent) else 1
        weight = self.weights.get(f"{parent.name}.{node.name.value}", default)
        children = self.selections(node.selection_set, returns)
        if children == 0:
            return weight
        return weight + self.multiplier(node, set(definition.args)) * children

    def spread(self, name: str) -> int:
        if name in self.memo:
            return self.memo[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.busy:
            return 0
        on = self.schema.get_type(fragment.type_condition.name.value)
        if on is None:
            return 0
        self.busy.add(name)
        self.memo[name] = self.selections(fragment.selection_set, on)
        self.busy.discard(name)
        return self.memo[name]


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
    *,
    max_page: int,
    weights: Mapping[str, int] = FIELD_WEIGHTS,
    strict: bool = False,
) -> int:
    """The cost of running ``operation`` with ``variables`` (see the module's docstring).
    ``strict``: raise ``VariableDependent`` rather than read a variable, so that a cost found
    holds whatever the variables are."""
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    defaults: dict[str, Any] = {}
    for definition in operation.variable_definitions or ():
        if definition.default_value is not None:
            defaults[definition.variable.name.value] = definition.default_value
    pricer = _Pricer(
        schema,
        {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)},
        variables or {},
        {},
        weights,
        max_page,
        strict=strict,
    )
    # A variable's declared default is a literal: read it as one.
    pricer.defaults = {name: pricer.value(node) for name, node in defaults.items()}
    return pricer.selections(operation.selection_set, root)
