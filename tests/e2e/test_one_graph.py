"""One graph: runs linked to tracker tasks, activities and agents and to other runs (sub-runs,
delegation, hand-offs); traversals cross the links and say which runs, tasks, agents and
activities they reached."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from provgraph.engine.connection import Engine
from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import record, sample_run

NS = "https://github.com/acme/app"
LINK = """mutation($kind: RunLinkKind!, $run: String!, $target: String!) {
  linkRun(kind: $kind, runId: $run, target: $target) { created }
}"""
REACHED = "reachedRuns reachedTasks reachedAgents reachedActivities"


async def data(client: httpx.AsyncClient, document: str, **variables: Any) -> Any:
    body = await gql(client, document, variables)
    assert "errors" not in body, body
    return body["data"]


async def link(client: httpx.AsyncClient, kind: str, run: str, target: str) -> dict[str, Any]:
    return await gql(client, LINK, {"kind": kind, "run": run, "target": target})


@pytest.fixture
async def world(client: httpx.AsyncClient) -> dict[str, str]:
    agent = (
        await data(
            client,
            'mutation { createSoftwareAgent(input: {namespace: "team", name: "sub"}) '
            "{ nativeId } }",
        )
    )["createSoftwareAgent"]["nativeId"]
    task = (
        await data(
            client,
            'mutation($ns: String!) { createTask(input: {namespace: $ns, title: "ship"})'
            " { nativeId } }",
            ns=NS,
        )
    )["createTask"]["nativeId"]
    await data(
        client,
        'mutation($a: String!) { startActivity(input: {agentId: $a, id: "act-1"}) { created } }',
        a=agent,
    )
    assert "errors" not in await record(client, sample_run("parent"))
    child = sample_run("child")
    child["run"]["agentId"] = agent
    assert "errors" not in await record(client, child)
    return {"agent": agent, "task": task, "activity": "act-1"}


async def test_links_are_idempotent_and_traversals_cross_them(
    client: httpx.AsyncClient, world: dict[str, str]
) -> None:
    for kind, target in (
        ("STARTED_BY", "parent:call"),
        ("PART_OF", world["task"]),
        ("GENERATED_BY", world["activity"]),
        ("INFORMED_BY", "parent"),
        ("ACTED_ON_BEHALF_OF", "parent"),
    ):
        first = await link(client, kind, "child", target)
        assert first == {"data": {"linkRun": {"created": True}}}, (kind, first)
        again = await link(client, kind, "child", target)
        assert again == {"data": {"linkRun": {"created": False}}}, kind
    up = await data(
        client, f'{{ ancestors(nodeId: "child", depth: 4) {{ {REACHED} depthLimited }} }}'
    )
    a = up["ancestors"]
    assert a["reachedRuns"] == ["parent"]
    assert a["reachedTasks"] == [world["task"]]
    assert a["reachedAgents"] == [world["agent"]]  # attributed, and the activity's agent
    assert a["reachedActivities"] == [world["activity"]]
    only_tasks = await data(
        client,
        '{ ancestors(nodeId: "child", edgeKinds: [PART_OF]) { reachedRuns reachedTasks } }',
    )
    assert only_tasks["ancestors"] == {"reachedRuns": [], "reachedTasks": [world["task"]]}
    down = await data(client, f'{{ descendants(nodeId: "parent:call", depth: 2) {{ {REACHED} }} }}')
    assert "child" in down["descendants"]["reachedRuns"]
    lineage = await data(
        client,
        '{ lineage(fromId: "parent:in", toId: "child") { direction paths { length nodeIds } } }',
    )
    assert lineage["lineage"]["direction"] == "downstream"
    assert lineage["lineage"]["paths"][0]["nodeIds"][-1] == "child"
    removed = await data(
        client,
        'mutation { unlinkRun(kind: INFORMED_BY, runId: "child", target: "parent") { removed } }',
    )
    assert removed == {"unlinkRun": {"removed": True}}
    again = await data(
        client,
        'mutation { unlinkRun(kind: INFORMED_BY, runId: "child", target: "parent") { removed } }',
    )
    assert again == {"unlinkRun": {"removed": False}}


async def test_bad_links_are_refused_and_write_nothing(
    client: httpx.AsyncClient, world: dict[str, str], engine: Engine, tenant: str
) -> None:
    async def links() -> int:
        records, _, _ = await engine.driver.execute_query(
            "MATCH (r:Run {tenant: $t})-[e]->() RETURN count(e) AS n",
            t=tenant,
            database_=engine.database,
        )
        return int(records[0]["n"])

    before = await links()
    cases = [
        ("PART_OF", "child", world["agent"], "BAD_USER_INPUT"),  # not a task
        ("ATTRIBUTED_TO", "child", world["task"], "BAD_USER_INPUT"),  # not an agent
        ("STARTED_BY", "child", "child:call", "BAD_USER_INPUT"),  # its own node
        ("STARTED_BY", "child", "child", "BAD_USER_INPUT"),  # itself
        ("INFORMED_BY", "child", "nope", "NOT_FOUND"),
        ("INFORMED_BY", "nope", "parent", "NOT_FOUND"),
        ("INFORMED_BY", "child:call", "parent", "NOT_FOUND"),  # a run node is not a run
        ("INFORMED_BY", "child", "x'}) MATCH (m) DETACH DELETE m //", "BAD_USER_INPUT"),
    ]
    for kind, run, target, code in cases:
        assert error_codes(await link(client, kind, run, target)) == [code], (kind, target)
    assert await links() == before
    assert (await link(client, "INFORMED_BY", "child", "parent"))["data"]
    cycle = await link(client, "INFORMED_BY", "parent", "child")
    assert error_codes(cycle) == ["BAD_USER_INPUT"]
    assert "cycle" in cycle["errors"][0]["message"]
