"""No N+1: a nested query costs the same number of engine round trips at any data size."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
from starlette.applications import Starlette

from tests.app_state import app_state
from tests.graphql_client import gql
from tests.runs_fixtures import RECORD, sample_run

KINDS = ("OBSERVATION", "DECISION", "TOOL_CALL", "TOOL_RESULT")

NESTED = """
query($id: String!) {
  run(id: $id) {
    steps(first: 2) { edges { node { step nodes } } totalCount }
    nodes(first: 500) {
      edges { node {
        nodeId kind
        incoming { edges { node { kind source target } } totalCount }
        outgoing { edges { node { kind source target } } pageInfo { hasNextPage } }
        run {
          runId steps(first: 1) { totalCount } nodes(first: 1) { edges { node { nodeId } } }
          agent { nativeId ... on MlAgent { model } }
        }
      } }
    }
  }
}
"""

NESTED_TASKS = """
query($ns: String!) {
  tasks(filter: {namespace: $ns}, first: 100) {
    edges { node {
      nativeId
      comments(first: 2) {
        edges { node { body author { nativeId } } } totalCount pageInfo { hasNextPage }
      }
      relations { edges { node { kind source target } } totalCount }
      blockers: relations(kinds: [BLOCKED_BY], first: 1) { edges { node { target } } }
    } }
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


async def _round_trips(
    client: httpx.AsyncClient, app: Starlette, document: str, variables: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    stats = app_state(app).executor.stats
    before = stats.queries
    body = await gql(client, document, variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return stats.queries - before, data


async def _ml_agent(client: httpx.AsyncClient) -> str:
    made = await gql(
        client,
        'mutation { createMlAgent(input: {namespace: "team", role: WORKER, provider: "openai",'
        ' model: "gpt-4o"}) { nativeId } }',
    )
    return str(made["data"]["createMlAgent"]["nativeId"])


def _nodes(connection: dict[str, Any]) -> list[Any]:
    return [e["node"] for e in connection["edges"]]


async def test_nested_run_query_round_trips_do_not_grow_with_the_run(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    agent = await _ml_agent(client)
    counts = {}
    for size in (50, 500):
        run_id = f"chain-{size}"
        recorded = await gql(client, RECORD, {"input": chain(run_id, size, agent)})
        assert "errors" not in recorded, recorded
        counts[size], data = await _round_trips(client, app, NESTED, {"id": run_id})
        run = data["run"]
        assert _nodes(run["steps"]) == [{"step": 0, "nodes": 4}, {"step": 1, "nodes": 4}]
        assert run["steps"]["totalCount"] == (size + 3) // 4
        edges = run["nodes"]["edges"]
        assert len(edges) == size
        by_id = {e["node"]["nodeId"]: e["node"] for e in edges}
        middle = by_id[f"{run_id}:7"]
        assert _nodes(middle["incoming"]) == [
            {"kind": "INFLUENCED", "source": f"{run_id}:6", "target": f"{run_id}:7"}
        ]
        assert middle["incoming"]["totalCount"] == 1
        assert _nodes(middle["outgoing"]) == [
            {"kind": "INFLUENCED", "source": f"{run_id}:7", "target": f"{run_id}:8"}
        ]
        assert middle["outgoing"]["pageInfo"]["hasNextPage"] is False
        assert _nodes(by_id[f"{run_id}:0"]["incoming"]) == []
        assert by_id[f"{run_id}:0"]["incoming"]["totalCount"] == 0
        assert all(
            n["run"]["agent"] == {"nativeId": agent, "model": "gpt-4o"}
            and n["run"]["steps"]["totalCount"] == (size + 3) // 4
            and _nodes(n["run"]["nodes"]) == [{"nodeId": f"{run_id}:0"}]
            for n in by_id.values()
        )
    # the run (its loader also serves each node's run) + its steps(first: 2) + its nodes(first:
    # 500) + every node's incoming and outgoing edges (one argument set: one query) + the node
    # run's steps(first: 1) + its nodes(first: 1) + the agent
    assert counts[50] == counts[500] == 7, counts


async def _task_graph(client: httpx.AsyncClient, ns: str, size: int, agent: str) -> list[str]:
    """``size`` tasks in a blocked_by chain, each with three comments."""
    ids = []
    for i in range(size):
        made = await gql(
            client,
            "mutation($ns: String!, $t: String!) { createTask(input: {namespace: $ns, title: $t})"
            " { nativeId } }",
            {"ns": ns, "t": f"t{i}"},
        )
        ids.append(made["data"]["createTask"]["nativeId"])
        for c in range(3):
            added = await gql(
                client,
                "mutation($t: String!, $a: String!, $b: String!) {"
                " addComment(taskId: $t, agentId: $a, body: $b) { createdAt } }",
                {"t": ids[-1], "a": agent, "b": f"t{i} c{c}"},
            )
            assert "errors" not in added, added
    for source, target in itertools.pairwise(ids):
        linked = await gql(
            client,
            "mutation($s: String!, $t: String!) { addTaskEdge(kind: BLOCKED_BY, source: $s,"
            " target: $t) { created } }",
            {"s": source, "t": target},
        )
        assert "errors" not in linked, linked
    return ids


async def test_nested_task_connections_round_trips_do_not_grow_with_the_tasks(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    agent = await _ml_agent(client)
    counts = {}
    for size in (3, 12):
        ns = f"https://example.org/rt{size}"
        ids = await _task_graph(client, ns, size, agent)
        counts[size], data = await _round_trips(client, app, NESTED_TASKS, {"ns": ns})
        tasks = {t["nativeId"]: t for t in _nodes(data["tasks"])}
        assert set(tasks) == set(ids)
        for i, task_id in enumerate(ids):
            task = tasks[task_id]
            assert [c["body"] for c in _nodes(task["comments"])] == [f"t{i} c0", f"t{i} c1"]
            assert all(c["author"] == {"nativeId": agent} for c in _nodes(task["comments"]))
            assert task["comments"]["totalCount"] == 3
            assert task["comments"]["pageInfo"]["hasNextPage"] is True
            # the chain: blocked by the next task, blocking the previous one
            expected = sorted(
                ([(ids[i - 1], task_id)] if i > 0 else [])
                + ([(task_id, ids[i + 1])] if i < size - 1 else [])
            )
            assert [(r["source"], r["target"]) for r in _nodes(task["relations"])] == expected
            assert task["relations"]["totalCount"] == len(expected)
            assert _nodes(task["blockers"]) == [{"target": expected[0][1]}]  # first: 1
    # list + comments + authors + relations + blocked_by relations (a second argument set)
    assert counts[3] == counts[12] == 5, counts


async def test_edges_are_shown_in_the_clients_orientation(client: httpx.AsyncClient) -> None:
    assert "errors" not in await gql(client, RECORD, {"input": sample_run("orient")})
    body = await gql(
        client,
        '{ d1: runNode(id: "orient:d1") { incoming { edges { node { kind source } } }'
        " outgoing { edges { node { kind target } } } }"
        ' mem: runNode(id: "orient:mem") { incoming { edges { node { kind source } } }'
        " outgoing { edges { node { kind } } } } }",
    )
    d1, mem = body["data"]["d1"], body["data"]["mem"]
    # "decision -consumed-> memory_fact" is stored memory-ward but shown as the client said it
    assert {"kind": "CONSUMED", "target": "orient:mem"} in _nodes(d1["outgoing"])
    assert {"kind": "TRIGGERED", "target": "orient:call"} in _nodes(d1["outgoing"])
    assert _nodes(d1["incoming"]) == [{"kind": "INFLUENCED", "source": "orient:in"}]
    assert _nodes(mem["incoming"]) == [{"kind": "CONSUMED", "source": "orient:d1"}]
    assert _nodes(mem["outgoing"]) == []
