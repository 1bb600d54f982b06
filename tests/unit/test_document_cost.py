"""Expanded-field counts and operation costs, computed without running anything."""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, parse

from provgraph.config import Settings
from provgraph.core.api.cost import (
    FIELD_WEIGHTS,
    VariableDependent,
    expanded_fields,
    operation_cost,
)
from provgraph.schema import build_schema

SCHEMA = build_schema()._schema


def fragment_bomb(levels: int) -> str:
    """``F0`` spreads ``F1`` twice, ``F1`` spreads ``F2`` twice, ...: 2^levels expansions."""
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    fragments.append(f"fragment F{levels} on Query {{ __typename }}")
    return "query Bomb { ...F0 } " + " ".join(fragments)


def _cost(document: str, variables: dict[str, object] | None = None) -> int:
    doc = parse(document)
    operation = next(d for d in doc.definitions if isinstance(d, OperationDefinitionNode))
    return operation_cost(SCHEMA, doc, operation, variables, max_page=500)


def test_a_fragment_bomb_is_counted_in_linear_time() -> None:
    # No clock: 2^200 expansions could never be walked one by one, so an answer at all shows
    # each fragment was counted once.
    assert expanded_fields(parse(fragment_bomb(24))) == 2**24
    assert expanded_fields(parse(fragment_bomb(200))) == 2**200


def test_fragment_cycles_and_unknown_fragments_do_not_loop() -> None:
    doc = parse(
        "query { ...A } fragment A on Query { serverInfo { version } ...B ...Missing } "
        "fragment B on Query { ...A }"
    )
    assert expanded_fields(doc) == 2


def test_expanded_fields_count_inline_fragments_and_every_operation() -> None:
    doc = parse("query A { serverInfo { version } } query B { ... on Query { viewer { tenant } } }")
    assert expanded_fields(doc) == 4


def test_expensive_fields_weigh_their_declared_cost() -> None:
    verify = "{ " + " ".join(f'v{i}: verifyRun(runId: "r") {{ ok }}' for i in range(30)) + " }"
    assert _cost(verify) == 30 * FIELD_WEIGHTS["Query.verifyRun"]
    assert _cost('{ serverInfo { version } run(id: "r") { runId } }') == 2


def test_connections_multiply_their_selections_by_the_page_size() -> None:
    # edges and pageInfo are wrappers (free); each edge's node is one item.
    page = "query ($n: Int) { tasks(first: $n) { edges { node { id } } pageInfo { endCursor } } }"
    assert _cost(page, {"n": 500}) == 1 + 500
    assert _cost(page, {}) == 1 + 50  # absent: the default page size
    assert _cost(page, {"n": 10**9}) == 1 + 500  # over the cap: priced at the cap
    assert _cost(page, {"n": "many"}) == 1 + 500  # not an Int (refused later): at the cap
    assert _cost("query ($n: Int = 7) { tasks(first: $n) { edges { node { id } } } }") == 8
    assert _cost("{ tasks(first: 10) { totalCount } }") == 1
    nested = (
        '{ run(id: "r") { nodes(first: 100) { edges { node { '
        "incoming(first: 100) { edges { node { kind } } } } } } } }"
    )
    assert _cost(nested) == 1 + 1 + 100 * (1 + 1 + 100 * 1)
    documented = (
        "{ tasks(first: 100) { edges { node { id comments(first: 10) { edges { node { body } } }"
        " } } } }"
    )
    assert _cost(documented) == 1 + 100 * (1 + 1 + 10 * 1) == 1201


def test_fragments_are_priced_once_and_reused() -> None:
    doc = (
        'query { ...R ...R a: verifyRun(runId: "x") { ok } } '
        'fragment R on Query { verifyRun(runId: "r") { ok } }'
    )
    assert _cost(doc) == 3 * FIELD_WEIGHTS["Query.verifyRun"]
    assert _cost(fragment_bomb(24)) == 0  # __typename costs nothing, and counting is linear


def test_node_lists_multiply_by_the_number_of_ids() -> None:
    doc = "query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Task { id } } }"
    assert _cost(doc, {"ids": ["a", "b", "c"]}) == 1 + 3 * 0
    deep = "query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Task { comments { totalCount } } } }"
    assert _cost(deep, {"ids": ["a", "b", "c"]}) == 1 + 3 * 1


def test_every_weighted_field_exists_in_the_schema() -> None:
    for name in FIELD_WEIGHTS:
        type_name, field = name.split(".")
        owner = SCHEMA.get_type(type_name)
        assert owner is not None and field in owner.fields, name  # type: ignore[attr-defined]


def test_a_strict_pricing_refuses_what_variables_change() -> None:
    """The gate keeps a document's cost by its text only when no variable changes it."""
    page = "query ($n: Int) { tasks(first: $n) { edges { node { id } } } }"
    doc = parse(page)
    operation = next(d for d in doc.definitions if isinstance(d, OperationDefinitionNode))
    with pytest.raises(VariableDependent):
        operation_cost(SCHEMA, doc, operation, None, max_page=500, strict=True)
    # A variable the pricing never needs (a node id) leaves the cost fixed.
    fixed = parse("query ($id: String!) { ancestors(nodeId: $id) { nodes { distance } } }")
    op = next(d for d in fixed.definitions if isinstance(d, OperationDefinitionNode))
    assert operation_cost(SCHEMA, fixed, op, None, max_page=500, strict=True) == operation_cost(
        SCHEMA, fixed, op, {"id": "x"}, max_page=500
    )


async def test_the_gate_prices_each_request_whose_variables_change_the_cost() -> None:
    schema = build_schema(Settings(require_api_keys=False, max_query_cost=100))
    page = "query Page($n: Int) { tasks(first: $n) { edges { node { id } } } }"
    codes = []
    for n in (10, 500, 10):
        result = await schema.execute(page, variable_values={"n": n}, context_value=None)
        codes.append([getattr(e.original_error, "code", None) for e in result.errors or []])
    assert [("QUERY_TOO_COSTLY" in c) for c in codes] == [False, True, False]
