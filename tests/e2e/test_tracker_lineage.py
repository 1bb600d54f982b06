"""Lineage crosses between the tracker and runs: the runs area's ancestors/descendants walk
from a task into the activity that generated it, its agent, and the runs of that agent."""

from __future__ import annotations

import httpx

from tests.graphql_client import gql


async def test_run_lineage_api_walks_from_a_task_to_its_activity_agent_and_runs(
    client: httpx.AsyncClient,
) -> None:
    made = await gql(
        client,
        'mutation { createHumanAgent(input: {namespace: "team", name: "Ada"}) { nativeId } }',
    )
    agent = made["data"]["createHumanAgent"]["nativeId"]
    await gql(
        client,
        'mutation($a: String!) { startActivity(input: {id: "act-1", agentId: $a}) { created } }',
        {"a": agent},
    )
    task = (
        await gql(
            client, 'mutation { createTask(input: {namespace: "ns", title: "t"}) { nativeId } }'
        )
    )["data"]["createTask"]["nativeId"]
    linked = await gql(
        client,
        "mutation($t: String!) { addTaskEdge(kind: GENERATED_BY, source: $t,"
        ' target: "act-1") { created } }',
        {"t": task},
    )
    assert linked["data"]["addTaskEdge"]["created"] is True
    run = await gql(
        client,
        'mutation($a: String!) { recordRun(input: {run: {id: "run-1", agentId: $a},'
        ' nodes: [{id: "d1", kind: DECISION, step: 1, text: "x"}]}) { nodesCreated } }',
        {"a": agent},
    )
    assert "errors" not in run, run

    up = await gql(
        client,
        "query($t: String!) { ancestors(nodeId: $t) { edges { kind source target }"
        " otherNodes { nodeId kind distance } } }",
        {"t": task},
    )
    assert "errors" not in up, up
    edges = {(e["kind"], e["source"], e["target"]) for e in up["data"]["ancestors"]["edges"]}
    assert ("GENERATED_BY", task, "act-1") in edges
    assert ("ASSOCIATED_WITH", "act-1", agent) in edges
    reached = {
        (o["nodeId"], o["kind"], o["distance"]) for o in up["data"]["ancestors"]["otherNodes"]
    }
    assert reached == {("act-1", "activity", 1), (agent, "agent", 2)}

    down = await gql(
        client,
        "query($a: String!) { descendants(nodeId: $a) { edges { kind source target }"
        " otherNodes { nodeId kind distance } } }",
        {"a": agent},
    )
    assert "errors" not in down, down
    edges = {(e["kind"], e["source"], e["target"]) for e in down["data"]["descendants"]["edges"]}
    assert ("ASSOCIATED_WITH", "act-1", agent) in edges
    assert ("GENERATED_BY", task, "act-1") in edges
    assert ("ATTRIBUTED_TO", "run-1", agent) in edges
    reached = {
        (o["nodeId"], o["kind"], o["distance"]) for o in down["data"]["descendants"]["otherNodes"]
    }
    assert reached == {("act-1", "activity", 1), ("run-1", "run", 1), (task, "task", 2)}
