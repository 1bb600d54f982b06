"""Builds hostile GraphQL requests for every root field of the schema, by introspection.

New fields are covered the day they are added: nothing here names a field.
"""

from __future__ import annotations

import base64
import json
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
    # A lone UTF-16 surrogate: no engine stores it, no JSON response can carry it.
    "x\ud800y",
    # Valid JSON nested past Python's recursion limit (json / arguments / metadata inputs).
    "[" * 1000 + "]" * 1000,
    # Dates that are valid ISO-8601 but leave years 1..9999 once converted to UTC.
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+01:00",
    # Cursors of the right shape holding integers over 2^63 (or under -2^63).
    base64.urlsafe_b64encode(json.dumps([2**64, "x"]).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps([2**70]).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps([-(2**64), 1, "x"]).encode()).decode(),
    # Global IDs of types that are not nodes (an interface, the roots, plain objects).
    *(
        base64.b64encode(f"{name}:x".encode()).decode()
        for name in ("Agent", "Query", "PageInfo", "Viewer", "ApiKey", "Mutation")
    ),
)
HOSTILE_INTS: tuple[int, ...] = (-1, 0, 2**31 - 1, -(2**31), 2**31, 10**18, 2**63, -(2**64))


class RawNumber(int):
    """A JSON number too long for Python's int/str conversion (4,300 digits): sent verbatim."""

    DIGITS = 5000

    def __repr__(self) -> str:
        return f"RawNumber({self.DIGITS} digits)"


HUGE = RawNumber(7)
_RAW_MARK = "@@raw-number@@"


@dataclass(frozen=True)
class Probe:
    operation: str  # "query" or "mutation"
    field: str
    document: str
    variables: dict[str, Any]
    label: str

    def body(self) -> bytes:
        """The request as JSON bytes: ASCII escapes (a lone surrogate goes as ``\\ud800``) and
        any ``RawNumber`` written out digit by digit."""
        text = json.dumps({"query": self.document, "variables": self.variables})
        return text.replace(json.dumps(_RAW_MARK), "9" * RawNumber.DIGITS).encode()


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
        if isinstance(number, RawNumber) and named.name in ("Int", "Float"):
            return _RAW_MARK
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
    payloads.append(("x", HUGE, "int-5000-digits"))
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
