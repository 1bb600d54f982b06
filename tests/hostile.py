"""Builds hostile GraphQL requests for every root field of the schema, by introspection.

New fields are covered the day they are added: nothing here names a field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
)

HOSTILE_STRINGS: tuple[str, ...] = (
    "' OR 1=1 //",
    "x'}) MATCH (m) DETACH DELETE m //",
    '") DETACH DELETE n RETURN 1 //',
    "`Node`) DETACH DELETE n //",
    "$tenant",
    "a\u0000b",
    "\u202eevil\u202c",
    "\U0001d518\U0001d52b\U0001d526 \u2713 \u65e5\u672c\u8a9e \U0001f680",
    "",
    "   ",
    "../../../../etc/passwd",
    '{"a": {"b": {"c": [1, {"d": null}]}}}',
    "CALL db.labels() YIELD label RETURN label",
    "x" * 20_000,
)
HOSTILE_INTS: tuple[int, ...] = (-1, 0, 2**31 - 1, -(2**31), 2**31, 10**18)


@dataclass(frozen=True)
class Probe:
    operation: str  # "query" or "mutation"
    field: str
    document: str
    variables: dict[str, Any]
    label: str


def _gql_type(t: GraphQLInputType) -> str:
    if isinstance(t, GraphQLNonNull):
        return f"{_gql_type(t.of_type)}!"
    if isinstance(t, GraphQLList):
        return f"[{_gql_type(t.of_type)}]"
    return str(get_named_type(t).name)


def synthesize(t: GraphQLInputType, text: str, number: int, depth: int = 0) -> Any:
    if isinstance(t, GraphQLNonNull):
        return synthesize(t.of_type, text, number, depth)
    if isinstance(t, GraphQLList):
        return [synthesize(t.of_type, text, number, depth)]
    named = get_named_type(t)
    if isinstance(named, GraphQLEnumType):
        return next(iter(named.values))
    if isinstance(named, GraphQLInputObjectType):
        if depth > 4:
            return {}
        return {
            name: synthesize(f.type, text, number, depth + 1) for name, f in named.fields.items()
        }
    if isinstance(named, GraphQLScalarType):
        if named.name == "Int":
            return number
        if named.name == "Float":
            return float(number)
        if named.name == "Boolean":
            return True
        return text
    return text


def _selection(field: GraphQLField) -> str:
    named = get_named_type(field.type)
    return "" if is_leaf_type(named) else " { __typename }"


def probes(schema: GraphQLSchema) -> list[Probe]:
    out: list[Probe] = []
    roots: list[tuple[str, GraphQLObjectType | None]] = [
        ("query", schema.query_type),
        ("mutation", schema.mutation_type),
    ]
    payloads: list[tuple[str, int, str]] = [
        (s, HOSTILE_INTS[i % len(HOSTILE_INTS)], f"s{i}") for i, s in enumerate(HOSTILE_STRINGS)
    ]
    payloads += [("x", n, f"int{n}") for n in HOSTILE_INTS]
    for operation, root in roots:
        if root is None:
            continue
        for name, field in root.fields.items():
            for text, number, label in payloads:
                declared = ", ".join(
                    f"$a{i}: {_gql_type(a.type)}" for i, a in enumerate(field.args.values())
                )
                passed = ", ".join(f"{arg}: $a{i}" for i, arg in enumerate(field.args))
                head = f"{operation} Probe({declared})" if declared else f"{operation} Probe"
                call = f"{name}({passed})" if passed else name
                document = f"{head} {{ {call}{_selection(field)} }}"
                variables = {
                    f"a{i}": synthesize(a.type, text, number)
                    for i, a in enumerate(field.args.values())
                }
                out.append(Probe(operation, name, document, variables, f"{name}:{label}"))
    return out
