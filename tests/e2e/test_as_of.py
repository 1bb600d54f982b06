"""Time windows: traversals, run subgraphs and diffs as of a time (the graph is append-only)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import record


def now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


async def data(client: httpx.AsyncClient, document: str, **variables: Any) -> Any:
    body = await gql(client, document, variables)
    assert "errors" not in body, body
    return body["data"]


async def test_what_did_we_know_then(client: httpx.AsyncClient) -> None:
    first = {
        "run": {"id": "r", "startedAt": "2026-01-01T10:00:00Z"},
        "nodes": [
            {"id": "r:q", "kind": "INPUT", "step": 0, "text": "q"},
            {"id": "r:d", "kind": "DECISION", "step": 1, "text": "d"},
        ],
        "edges": [{"kind": "INFLUENCED", "source": "r:q", "target": "r:d"}],
    }
    assert "errors" not in await record(client, first)
    await asyncio.sleep(0.02)
    then = now_iso()
    await asyncio.sleep(0.02)
    later = {
        "run": {"id": "r"},
        "nodes": [
            {"id": "r:m", "kind": "MEMORY_FACT", "step": 1, "text": "m"},
            {"id": "r:out", "kind": "OUTPUT", "step": 2, "text": "o"},
        ],
        "edges": [
            {"kind": "CONSUMED", "source": "r:d", "target": "r:m"},  # a late edge into r:d
            {"kind": "INFLUENCED", "source": "r:d", "target": "r:out"},
        ],
    }
    assert "errors" not in await record(client, later)
    q = (
        'query($asOf: String) { ancestors(nodeId: "r:d", depth: 5, asOf: $asOf) '
        "{ nodes { node { nodeId } } } }"
    )
    now = await data(client, q)
    assert {n["node"]["nodeId"] for n in now["ancestors"]["nodes"]} == {"r:q", "r:m"}
    past = await data(client, q, asOf=then)
    assert {n["node"]["nodeId"] for n in past["ancestors"]["nodes"]} == {"r:q"}
    # The output did not exist then: a question about it is NOT_FOUND.
    missing = await gql(
        client,
        'query($t: String) { descendants(nodeId: "r:out", asOf: $t) { depth } }',
        {"t": then},
    )
    assert error_codes(missing) == ["NOT_FOUND"]
    sub = await data(
        client,
        'query($t: String) { runSubgraph(runId: "r", asOf: $t) { nodes { nodeId } '
        "edges { source target } } }",
        t=then,
    )
    assert {n["nodeId"] for n in sub["runSubgraph"]["nodes"]} == {"r:q", "r:d"}
    assert sub["runSubgraph"]["edges"] == [{"source": "r:q", "target": "r:d"}]
    lineage = await data(
        client,
        'query($t: String) { lineage(fromId: "r:q", toId: "r:d", asOf: $t) { direction } }',
        t=then,
    )
    assert lineage["lineage"]["direction"] == "downstream"
    bad = await gql(client, q, {"asOf": "yesterday"})
    assert error_codes(bad) == ["BAD_USER_INPUT"]


async def test_diff_as_of(client: httpx.AsyncClient) -> None:
    for run_id in ("a", "b"):
        batch = {
            "run": {"id": run_id},
            "nodes": [{"id": f"{run_id}:q", "kind": "INPUT", "step": 0, "text": "same"}],
            "edges": [],
        }
        assert "errors" not in await record(client, batch)
    await asyncio.sleep(0.02)
    then = now_iso()
    await asyncio.sleep(0.02)
    extra = {
        "run": {"id": "b"},
        "nodes": [{"id": "b:x", "kind": "OUTPUT", "step": 1, "text": "new"}],
        "edges": [],
    }
    assert "errors" not in await record(client, extra)
    q = 'query($t: String) { runDiff(runId: "a", otherRunId: "b", asOf: $t) { identical } }'
    assert (await data(client, q))["runDiff"]["identical"] is False
    assert (await data(client, q, t=then))["runDiff"]["identical"] is True
