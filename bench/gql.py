"""A minimal GraphQL-over-HTTP client: one POST per operation, errors raised, not hidden."""

from __future__ import annotations

from typing import Any

import httpx


class GraphQLFailed(RuntimeError):
    pass


async def gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    if response.status_code != 200:
        raise GraphQLFailed(f"HTTP {response.status_code}: {response.text[:500]}")
    body: dict[str, Any] = response.json()
    if body.get("errors"):
        raise GraphQLFailed(f"GraphQL errors: {body['errors'][:3]}")
    data: dict[str, Any] = body["data"]
    return data


def http_client(base_url: str) -> httpx.AsyncClient:
    # Keep-alive connection reuse, as any real client does; generous timeout for big batches.
    return httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(120.0))
