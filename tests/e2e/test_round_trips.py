"""No N+1: a nested query costs the same number of engine round trips at any data size."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette

from tests.graphql_client import gql
from tests.runs_fixtures import RECORD, sample_run

KINDS = ("OBSERVATION", "DECISION", "TOOL_CALL", "TOOL_RESULT")

NESTED = """
query($id: String!) {
  run(id: $id) {
    nodes(first: 500) {
      edges { node {
        nodeId kind
        incoming { kind source target }
        outgoing { kind source target }
        run { runId agent { nativeId ... on MlAgent { model } } }
      } }
    }
  }
}
"""


def chain(run_id: str, size: int, agent_id: str) -> dict[str, Any]:
    nodes = [
        {"id": f"{run_id}:{i}", "kind": KINDS[i % len(KINDS)], "step": i // 4, "text": f"n{i}"}
        for i in range(size)
    ]
    edges = [
        {"kind": "INFLUENCED", "source": f"{run_id}:{i}", "target": f"{run_id}:{i + 1}"}
        for i in range(size - 1)
    ]
    return {"run": {"id": run_id, "agentId": agent_id}, "nodes": nodes, "edges": edges}


async def _round_trips(client: httpx.AsyncClient, app: Starlette, run_id: str) -> tuple[int, Any]:
    stats = app.state.services.executor.stats
    before = stats.queries
    body = await gql(client, NESTED, {"id": run_id})
    assert "errors" not in body, body
    return stats.queries - before, body["data"]["run"]["nodes"]["edges"]


async def test_nested_run_query_round_trips_do_not_grow_with_the_run(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    made = await gql(
        client,
        'mutation { createMlAgent(input: {namespace: "team", role: WORKER, provider: "openai",'
        ' model: "gpt-4o"}) { nativeId } }',
    )
    agent = made["data"]["createMlAgent"]["nativeId"]
    counts = {}
    for size in (50, 500):
        run_id = f"chain-{size}"
        recorded = await gql(client, RECORD, {"input": chain(run_id, size, agent)})
        assert "errors" not in recorded, recorded
        counts[size], edges = await _round_trips(client, app, run_id)
        assert len(edges) == size
        by_id = {e["node"]["nodeId"]: e["node"] for e in edges}
        middle = by_id[f"{run_id}:7"]
        assert middle["incoming"] == [
            {"kind": "INFLUENCED", "source": f"{run_id}:6", "target": f"{run_id}:7"}
        ]
        assert middle["outgoing"] == [
            {"kind": "INFLUENCED", "source": f"{run_id}:7", "target": f"{run_id}:8"}
        ]
        assert by_id[f"{run_id}:0"]["incoming"] == []
        assert all(
            n["run"]["agent"] == {"nativeId": agent, "model": "gpt-4o"} for n in by_id.values()
        )
    # list + node edges + run + agent, whatever the size
    assert counts[50] == counts[500] <= 5, counts


async def test_edges_are_shown_in_the_clients_orientation(client: httpx.AsyncClient) -> None:
    assert "errors" not in await gql(client, RECORD, {"input": sample_run("orient")})
    body = await gql(
        client,
        '{ d1: runNode(id: "orient:d1") { incoming { kind source } outgoing { kind target } }'
        ' mem: runNode(id: "orient:mem") { incoming { kind source } outgoing { kind } } }',
    )
    d1, mem = body["data"]["d1"], body["data"]["mem"]
    # "decision -consumed-> memory_fact" is stored memory-ward but shown as the client said it
    assert {"kind": "CONSUMED", "target": "orient:mem"} in d1["outgoing"]
    assert {"kind": "TRIGGERED", "target": "orient:call"} in d1["outgoing"]
    assert d1["incoming"] == [{"kind": "INFLUENCED", "source": "orient:in"}]
    assert mem["incoming"] == [{"kind": "CONSUMED", "source": "orient:d1"}]
    assert mem["outgoing"] == []
