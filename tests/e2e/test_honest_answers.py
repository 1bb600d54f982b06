"""Honest traversal answers: defaults visible, every cut flagged (depth apart from the node cap),
lineage searching to the maximum depth by default, real totalCounts, one rule for absence."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import httpx

from provgraph.schema import build_schema
from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import record

NS = "https://github.com/acme/app"


def chain_run(run_id: str, length: int) -> dict[str, Any]:
    """``length`` + 1 nodes in a line: n0 -influenced-> n1 -> ... -> n<length>."""
    ids = [f"{run_id}:n{i}" for i in range(length + 1)]
    return {
        "run": {"id": run_id, "agentId": "agent-x", "startedAt": "2026-01-01T00:00:00Z"},
        "nodes": [
            {"id": nid, "kind": "DECISION" if i else "INPUT", "step": i, "text": f"step {i}"}
            for i, nid in enumerate(ids)
        ],
        "edges": [{"kind": "INFLUENCED", "source": a, "target": b} for a, b in pairwise(ids)],
    }


async def data(client: httpx.AsyncClient, document: str, **variables: Any) -> Any:
    body = await gql(client, document, variables)
    assert "errors" not in body, body
    return body["data"]


def test_traversal_defaults_are_in_the_sdl() -> None:
    sdl = build_schema().as_str()
    assert "depth: Int! = 3" in sdl  # ancestors, descendants
    assert "maxDepth: Int = null" in sdl  # lineage: null = the maximum, said in its description
    assert "depthLimited: Boolean!" in sdl
    assert "PROVGRAPH_MAX_TRAVERSAL_DEPTH" in sdl


async def test_lineage_finds_a_six_hop_path_without_max_depth(client: httpx.AsyncClient) -> None:
    assert "errors" not in await record(client, chain_run("c", 6))
    found = await data(
        client,
        '{ lineage(fromId: "c:n0", toId: "c:n6") { direction depth requestedDepth depthLimited'
        " truncated paths { length nodeIds } } }",
    )
    lin = found["lineage"]
    assert lin["direction"] == "downstream"
    assert lin["paths"] == [{"length": 6, "nodeIds": [f"c:n{i}" for i in range(7)]}]
    assert (lin["depth"], lin["requestedDepth"]) == (10, 10)
    assert (lin["depthLimited"], lin["truncated"]) == (False, False)
    # Asked shallower: no path, and the answer says the search was cut by depth.
    short = await data(
        client,
        '{ lineage(fromId: "c:n0", toId: "c:n6", maxDepth: 3) { direction depthLimited paths '
        "{ length } } }",
    )
    assert short["lineage"] == {"direction": None, "depthLimited": True, "paths": []}


async def test_ancestors_flag_a_depth_cut_apart_from_the_node_cap(
    client: httpx.AsyncClient,
) -> None:
    assert "errors" not in await record(client, chain_run("c", 6))
    q = (
        'query($d: Int!) { ancestors(nodeId: "c:n6", depth: $d) { depth depthLimited truncated'
        " nodes { distance } } }"
    )
    default = await data(
        client, '{ ancestors(nodeId: "c:n6") { depth depthLimited truncated nodes { distance } } }'
    )
    a = default["ancestors"]
    assert (a["depth"], a["depthLimited"], a["truncated"], len(a["nodes"])) == (3, True, False, 3)
    a = (await data(client, q, d=6))["ancestors"]
    assert (a["depthLimited"], a["truncated"], len(a["nodes"])) == (False, False, 6)
    d = await data(
        client, '{ descendants(nodeId: "c:n0", depth: 2) { depthLimited nodes { distance } } }'
    )
    assert d["descendants"]["depthLimited"] is True and len(d["descendants"]["nodes"]) == 2


async def test_total_count_everywhere(client: httpx.AsyncClient) -> None:
    assert "errors" not in await record(client, chain_run("c", 4))
    run = await data(
        client,
        '{ run(id: "c") { nodes(first: 2) { totalCount edges { node { nodeId } } } '
        "kinds: nodes(kinds: [INPUT], first: 1) { totalCount } } }",
    )
    assert run["run"]["nodes"]["totalCount"] == 5
    assert len(run["run"]["nodes"]["edges"]) == 2
    assert run["run"]["kinds"]["totalCount"] == 1
    agents = []
    for name in ("a", "b", "c"):
        made = await data(
            client,
            'mutation($n: String!) { createHumanAgent(input: {namespace: "team", name: $n})'
            " { nativeId } }",
            n=name,
        )
        agents.append(made["createHumanAgent"]["nativeId"])
    for i in range(2):
        await data(
            client,
            "mutation($a: String!, $id: String!) { startActivity(input: {agentId: $a, id: $id})"
            " { created } }",
            a=agents[0],
            id=f"act-{i}",
        )
    tasks = []
    for i in range(3):
        made = await data(
            client,
            "mutation($ns: String!, $t: String!) { createTask(input: {namespace: $ns, title: $t})"
            " { nativeId } }",
            ns=NS,
            t=f"t{i}",
        )
        tasks.append(made["createTask"]["nativeId"])
    await data(
        client,
        "mutation($s: String!, $t: String!) { addTaskEdge(kind: BLOCKED_BY, source: $s, "
        "target: $t) { created } }",
        s=tasks[0],
        t=tasks[1],
    )
    counts = await data(
        client,
        "query($a: String!) { tasks(first: 1) { totalCount edges { cursor } }"
        " readyTasks(first: 1) { totalCount } blockedTasks(first: 1) { totalCount }"
        " agents(first: 1) { totalCount } activities(first: 1) { totalCount }"
        " mine: activities(agentId: $a, first: 1) { totalCount } }",
        a=agents[0],
    )
    assert counts["tasks"]["totalCount"] == 3
    assert counts["readyTasks"]["totalCount"] == 2
    assert counts["blockedTasks"]["totalCount"] == 1
    assert counts["agents"]["totalCount"] == 3
    assert counts["activities"]["totalCount"] == 2
    assert counts["mine"]["totalCount"] == 2
    # The total is of all matches, whatever the cursor.
    after = counts["tasks"]["edges"][0]["cursor"]
    later = await data(
        client, "query($c: String) { tasks(first: 1, after: $c) { totalCount } }", c=after
    )
    assert later["tasks"]["totalCount"] == 3


async def test_one_rule_for_absence(client: httpx.AsyncClient) -> None:
    """Single lookups answer null; questions about a missing start node answer NOT_FOUND."""
    lookups = await data(
        client,
        '{ run(id: "nope") { runId } runNode(id: "nope") { nodeId } agent(id: "team--nope")'
        ' { nativeId } humanAgent(id: "team--nope") { name } mlAgent(id: "team--nope") { model }'
        ' softwareAgent(id: "team--nope") { name } activity(id: "nope") { notes } }',
    )
    assert set(lookups.values()) == {None}
    for question in (
        '{ ancestors(nodeId: "nope") { depth } }',
        '{ descendants(nodeId: "nope") { depth } }',
        '{ lineage(fromId: "nope", toId: "nope2") { depth } }',
        '{ runSubgraph(runId: "nope") { truncated } }',
        '{ verifyRun(runId: "nope") { ok } }',
        f'{{ taskAncestors(taskId: "{NS}--0190a5b2-0000-7000-8000-000000000000") {{ depth }} }}',
    ):
        assert error_codes(await gql(client, question)) == ["NOT_FOUND"], question


async def test_a_traversal_is_fetched_whole_page_by_page(client: httpx.AsyncClient) -> None:
    """30 causes at distance 1, each with its own cause at distance 2: pages of 7 by
    (distance, id) give exactly the unpaged answer, nodes and edges."""
    nodes = [{"id": "w:out", "kind": "OUTPUT", "step": 2}]
    edges = []
    for i in range(30):
        nodes += [
            {"id": f"w:a{i:02d}", "kind": "DECISION", "step": 1},
            {"id": f"w:b{i:02d}", "kind": "OBSERVATION", "step": 0},
        ]
        edges += [
            {"kind": "INFLUENCED", "source": f"w:a{i:02d}", "target": "w:out"},
            {"kind": "INFLUENCED", "source": f"w:b{i:02d}", "target": f"w:a{i:02d}"},
        ]
    assert "errors" not in await record(
        client, {"run": {"id": "w"}, "nodes": nodes, "edges": edges}
    )
    q = (
        'query($first: Int, $after: String) { ancestors(nodeId: "w:out", depth: 5, '
        "first: $first, after: $after) { truncated nodes { distance node { nodeId } } "
        "edges { source target } pageInfo { hasNextPage endCursor } } }"
    )
    whole = (await data(client, q))["ancestors"]
    assert len(whole["nodes"]) == 60 and whole["pageInfo"]["hasNextPage"] is False
    seen: list[tuple[int, str]] = []
    edges_seen: list[tuple[str, str]] = []
    after = None
    pages = 0
    while True:
        page = (await data(client, q, first=7, after=after))["ancestors"]
        pages += 1
        assert page["truncated"] is False
        seen += [(n["distance"], n["node"]["nodeId"]) for n in page["nodes"]]
        edges_seen += [(e["source"], e["target"]) for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == 9
    assert seen == sorted(seen) == [(n["distance"], n["node"]["nodeId"]) for n in whole["nodes"]]
    assert sorted(edges_seen) == sorted((e["source"], e["target"]) for e in whole["edges"])
    bad = await gql(client, q, {"first": 7, "after": "not-a-cursor"})
    assert error_codes(bad) == ["BAD_USER_INPUT"]
