"""What the server under test offers: its GraphQL root fields, found by introspection."""

from __future__ import annotations

import httpx

from bench.gql import gql

_FIELDS = """
{ q: __type(name: "Query") { fields { name } } m: __type(name: "Mutation") { fields { name } } }
"""


async def root_fields(client: httpx.AsyncClient) -> set[str]:
    data = await gql(client, _FIELDS)
    names: set[str] = set()
    for key in ("q", "m"):
        if data.get(key):
            names.update(f["name"] for f in data[key]["fields"])
    return names


def missing(fields: set[str], *wanted: str) -> str | None:
    """A 'not measured' reason when a field the part needs is absent, else None."""
    absent = [w for w in wanted if w not in fields]
    if not absent:
        return None
    return (
        f"the server has no {', '.join(absent)} (the run-graph API of branch 'runs' is not "
        "merged into this build)"
    )
