from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from provgraph.config import Settings
from tests.app_state import app_state
from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import record, sample_run

TRAVERSE = """
query($id: String!, $depth: Int, $edgeKinds: [EdgeKind!], $nodeKinds: [RunNodeKind!]) {
  %s(nodeId: $id, depth: $depth, edgeKinds: $edgeKinds, nodeKinds: $nodeKinds) {
    origin { nodeId kind }
    nodes { node { id nodeId kind step runId text } distance }
    edges { kind source target }
    depth requestedDepth depthClamped truncated
  }
}
"""


@pytest.fixture
async def recorded(client: httpx.AsyncClient) -> None:
    body = await record(client, sample_run())
    assert "errors" not in body, body


def _by_id(result: dict[str, Any]) -> dict[str, int]:
    return {n["node"]["nodeId"]: n["distance"] for n in result["nodes"]}


async def traverse(client: httpx.AsyncClient, field: str, **variables: Any) -> dict[str, Any]:
    body = await gql(client, TRAVERSE % field, variables)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][field]
    return result


async def test_ancestors_follow_causality_with_distances(
    client: httpx.AsyncClient, recorded: None
) -> None:
    out = await traverse(client, "ancestors", id="run-1:out", depth=10)
    assert _by_id(out) == {
        "run-1:d2": 1,
        "run-1:obs": 2,
        "run-1:res": 3,
        "run-1:call": 4,
        "run-1:d1": 5,
        # d1 consumed the memory fact: the fact is one of d1's causes
        "run-1:mem": 6,
        "run-1:in": 6,
    }
    assert out["origin"] == {"nodeId": "run-1:out", "kind": "OUTPUT"}
    assert out["depth"] == 10 and not out["depthClamped"] and not out["truncated"]
    edges = {(e["kind"], e["source"], e["target"]) for e in out["edges"]}
    assert ("CONSUMED", "run-1:d1", "run-1:mem") in edges
    assert ("TRIGGERED", "run-1:d1", "run-1:call") in edges
    assert ("INFLUENCED", "run-1:d2", "run-1:out") in edges
    assert len(edges) == 7
    first = out["nodes"][0]["node"]
    assert first["kind"] == "DECISION" and first["text"] == "Answer Paris"
    assert first["runId"] == "run-1" and first["step"] == 2


async def test_descendants_of_a_bad_tool_result(client: httpx.AsyncClient, recorded: None) -> None:
    out = await traverse(client, "descendants", id="run-1:res", depth=2)
    assert _by_id(out) == {"run-1:obs": 1, "run-1:d2": 2}
    edges = {(e["kind"], e["source"], e["target"]) for e in out["edges"]}
    assert edges == {
        ("INFLUENCED", "run-1:res", "run-1:obs"),
        ("INFLUENCED", "run-1:obs", "run-1:d2"),
    }
    memory = await traverse(client, "descendants", id="run-1:mem", depth=10)
    assert set(_by_id(memory)) == {
        "run-1:d1",
        "run-1:call",
        "run-1:res",
        "run-1:obs",
        "run-1:d2",
        "run-1:out",
    }


async def test_filters_by_edge_and_node_kind(client: httpx.AsyncClient, recorded: None) -> None:
    only_decisions = await traverse(
        client, "ancestors", id="run-1:out", depth=10, nodeKinds=["DECISION"]
    )
    assert _by_id(only_decisions) == {"run-1:d2": 1, "run-1:d1": 5}
    consumed = await traverse(client, "descendants", id="run-1:mem", edgeKinds=["CONSUMED"])
    assert _by_id(consumed) == {"run-1:d1": 1}
    influenced = await traverse(client, "ancestors", id="run-1:d1", edgeKinds=["INFLUENCED"])
    assert _by_id(influenced) == {"run-1:in": 1}


async def test_depth_is_clamped_and_says_so(
    client: httpx.AsyncClient, recorded: None, settings: Settings
) -> None:
    out = await traverse(client, "ancestors", id="run-1:out", depth=99)
    assert out["requestedDepth"] == 99 and out["depthClamped"] is True
    assert out["depth"] == min(settings.max_traversal_depth, 10)
    bad = await gql(client, TRAVERSE % "ancestors", {"id": "run-1:out", "depth": 0})
    assert error_codes(bad) == ["BAD_USER_INPUT"]
    missing = await gql(client, TRAVERSE % "ancestors", {"id": "nope"})
    assert error_codes(missing) == ["NOT_FOUND"]


async def test_lineage_between_two_nodes(client: httpx.AsyncClient, recorded: None) -> None:
    q = """query($a: String!, $b: String!, $d: Int) { lineage(fromId: $a, toId: $b, maxDepth: $d) {
        direction paths { nodeIds length edges { kind source target } nodes { nodeId } }
        depth truncated } }"""
    body = await gql(client, q, {"a": "run-1:mem", "b": "run-1:out", "d": 10})
    lin = body["data"]["lineage"]
    assert lin["direction"] == "downstream"
    assert [p["nodeIds"] for p in lin["paths"]] == [
        ["run-1:mem", "run-1:d1", "run-1:call", "run-1:res", "run-1:obs", "run-1:d2", "run-1:out"]
    ]
    path = lin["paths"][0]
    assert path["length"] == 6
    assert path["edges"][0] == {"kind": "CONSUMED", "source": "run-1:d1", "target": "run-1:mem"}
    assert [n["nodeId"] for n in path["nodes"]] == path["nodeIds"]
    up = (await gql(client, q, {"a": "run-1:out", "b": "run-1:in", "d": 10}))["data"]["lineage"]
    assert up["direction"] == "upstream"
    # paths always run from fromId to toId; upstream walks against causality
    assert up["paths"][0]["nodeIds"] == [
        "run-1:out",
        "run-1:d2",
        "run-1:obs",
        "run-1:res",
        "run-1:call",
        "run-1:d1",
        "run-1:in",
    ]
    short = (await gql(client, q, {"a": "run-1:in", "b": "run-1:out", "d": 3}))["data"]["lineage"]
    assert short["direction"] is None and short["paths"] == []


async def test_run_with_steps_and_paginated_nodes(
    client: httpx.AsyncClient, recorded: None
) -> None:
    q = """query($after: String) { run(id: "run-1") {
        runId agentId status startedAt metadata nodeCount
        steps { edges { node { step nodes } } totalCount pageInfo { hasNextPage } }
        nodes(first: 3, after: $after) { edges { cursor node { nodeId step kind } }
          pageInfo { hasNextPage endCursor } }
        decisions: nodes(kinds: [DECISION]) { edges { node { nodeId } } }
        step1: nodes(step: 1) { edges { node { nodeId } } } } }"""
    run = (await gql(client, q))["data"]["run"]
    assert run["runId"] == "run-1" and run["agentId"] == "agent-x"
    assert run["status"] == "SUCCEEDED" and run["startedAt"] == "2026-01-01T00:00:00.000Z"
    assert [e["node"] for e in run["steps"]["edges"]] == [
        {"step": 0, "nodes": 2},
        {"step": 1, "nodes": 3},
        {"step": 2, "nodes": 3},
    ]
    assert run["steps"]["totalCount"] == 3
    assert run["steps"]["pageInfo"]["hasNextPage"] is False
    seen = [e["node"]["nodeId"] for e in run["nodes"]["edges"]]
    cursor = run["nodes"]["pageInfo"]["endCursor"]
    while run["nodes"]["pageInfo"]["hasNextPage"]:
        run = (await gql(client, q, {"after": cursor}))["data"]["run"]
        seen += [e["node"]["nodeId"] for e in run["nodes"]["edges"]]
        cursor = run["nodes"]["pageInfo"]["endCursor"]
    assert len(seen) == 8 == len(set(seen))
    assert [e["node"]["nodeId"] for e in run["decisions"]["edges"]] == ["run-1:d1", "run-1:d2"]
    assert {e["node"]["nodeId"] for e in run["step1"]["edges"]} == {
        "run-1:d1",
        "run-1:call",
        "run-1:res",
    }


async def test_relay_node_by_global_id(client: httpx.AsyncClient, recorded: None) -> None:
    q = '{ runNode(id: "run-1:call") { id toolName arguments toolStatus } }'
    node = (await gql(client, q))["data"]["runNode"]
    assert node["toolName"] == "weather" and node["arguments"] == '{"city": "Paris"}'
    again = await gql(
        client,
        "query($id: ID!) { node(id: $id) { ... on RunNode { nodeId kind } } }",
        {"id": node["id"]},
    )
    assert again["data"]["node"] == {"nodeId": "run-1:call", "kind": "TOOL_CALL"}


async def test_run_and_step_subgraphs(client: httpx.AsyncClient, recorded: None) -> None:
    q = """query($step: Int) { runSubgraph(runId: "run-1", step: $step) {
        step truncated nodes { nodeId step } edges { kind source target } } }"""
    whole = (await gql(client, q))["data"]["runSubgraph"]
    assert len(whole["nodes"]) == 8 and len(whole["edges"]) == 7
    step1 = (await gql(client, q, {"step": 1}))["data"]["runSubgraph"]
    ids = {n["nodeId"] for n in step1["nodes"]}
    # step 1's nodes plus the other ends of cross-step edges (in, mem at 0; obs at 2)
    assert ids == {"run-1:d1", "run-1:call", "run-1:res", "run-1:in", "run-1:mem", "run-1:obs"}
    edges = {(e["kind"], e["source"], e["target"]) for e in step1["edges"]}
    assert edges == {
        ("INFLUENCED", "run-1:in", "run-1:d1"),
        ("CONSUMED", "run-1:d1", "run-1:mem"),
        ("TRIGGERED", "run-1:d1", "run-1:call"),
        ("PRODUCED", "run-1:call", "run-1:res"),
        ("INFLUENCED", "run-1:res", "run-1:obs"),
    }
    missing = await gql(client, '{ runSubgraph(runId: "nope") { step } }')
    assert error_codes(missing) == ["NOT_FOUND"]


async def test_run_diff_finds_the_first_divergence(client: httpx.AsyncClient) -> None:
    assert "errors" not in await record(client, sample_run("a"))
    b = sample_run("b", answer="Lyon", tool_result="31C")
    b["nodes"] = [n for n in b["nodes"] if n["step"] != 2] + [
        {"id": "b:late", "kind": "OUTPUT", "step": 3, "text": "late"}
    ]
    b["edges"] = [
        e for e in b["edges"] if not ({e["source"], e["target"]} & {"b:obs", "b:d2", "b:out"})
    ]
    assert "errors" not in await record(client, b)
    q = """{ runDiff(runId: "a", otherRunId: "b") { identical firstDivergentStep stepsCompared
        differences { class step kind nodeId otherNodeId content otherContent } } }"""
    diff = (await gql(client, q))["data"]["runDiff"]
    assert diff["identical"] is False and diff["firstDivergentStep"] == 1
    classes = [(d["class"], d["step"]) for d in diff["differences"]]
    assert classes == [
        ("DIFFERENT_TOOL_RESULT", 1),
        ("MISSING_STEP", 2),
        ("EXTRA_STEP", 3),
    ]
    result = diff["differences"][0]
    assert (result["nodeId"], result["otherNodeId"]) == ("a:res", "b:res")
    assert (result["content"], result["otherContent"]) == ("22C", "31C")
    same = await gql(
        client, '{ runDiff(runId: "a", otherRunId: "a") { identical firstDivergentStep } }'
    )
    assert same["data"]["runDiff"] == {"identical": True, "firstDivergentStep": None}


async def test_run_diff_classes_decisions_and_memory(client: httpx.AsyncClient) -> None:
    assert "errors" not in await record(client, sample_run("a"))
    b = sample_run("b", answer="Lyon")
    b["nodes"][1]["text"] = "User lives in Canada"
    assert "errors" not in await record(client, b)
    q = '{ runDiff(runId: "a", otherRunId: "b") { firstDivergentStep differences { class step } } }'
    diff = (await gql(client, q))["data"]["runDiff"]
    assert diff["firstDivergentStep"] == 0
    assert [(d["class"], d["step"]) for d in diff["differences"]] == [
        ("DIFFERENT_MEMORY", 0),
        ("DIFFERENT_DECISION", 2),
        ("DIFFERENT_OUTPUT", 2),
    ]


async def test_prune_runs_older_than_a_cutoff(client: httpx.AsyncClient) -> None:
    old = sample_run("old")
    old["run"]["startedAt"] = "2020-01-01T00:00:00Z"
    assert "errors" not in await record(client, old)
    assert "errors" not in await record(client, sample_run("new"))
    q = """mutation($dry: Boolean!) { pruneRuns(olderThan: "2025-01-01T00:00:00Z", dryRun: $dry) {
        dryRun runs runIds nodes edges cutoff } }"""
    dry = (await gql(client, q, {"dry": True}))["data"]["pruneRuns"]
    assert dry == {
        "dryRun": True,
        "runs": 1,
        "runIds": ["old"],
        "nodes": 8,
        "edges": 7,
        "cutoff": "2025-01-01T00:00:00.000Z",
    }
    exists = '{ a: run(id: "old") { nodeCount } b: run(id: "new") { nodeCount } }'
    assert (await gql(client, exists))["data"] == {"a": {"nodeCount": 8}, "b": {"nodeCount": 8}}
    done = (await gql(client, q, {"dry": False}))["data"]["pruneRuns"]
    assert done["runs"] == 1 and done["nodes"] == 8 and done["dryRun"] is False
    assert (await gql(client, exists))["data"] == {"a": None, "b": {"nodeCount": 8}}
    assert (await gql(client, '{ runNode(id: "old:in") { nodeId } }'))["data"]["runNode"] is None
    again = (await gql(client, q, {"dry": False}))["data"]["pruneRuns"]
    assert again["runs"] == 0


async def test_nested_fields_load_in_batches_not_per_node(
    client: httpx.AsyncClient, recorded: None, app: Starlette
) -> None:
    stats = app_state(app).executor.stats
    before = stats.queries
    q = """{ ancestors(nodeId: "run-1:out", depth: 10) {
        nodes { distance node { text hash createdAt run { runId nodeCount } } } } }"""
    body = await gql(client, q)
    nodes = body["data"]["ancestors"]["nodes"]
    assert len(nodes) == 7 and all(n["node"]["run"]["runId"] == "run-1" for n in nodes)
    # One query per breadth-first level (the last finds nothing new; the levels bring the
    # content selected, so no node load) and one batched run load: not one per node.
    levels = max(n["distance"] for n in nodes) + 1
    assert stats.queries - before == levels + 1
