"""The task tracker over GraphQL: tasks, edges, ready/blocked, traversals, labels, comments."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from tests.app_state import app_state
from tests.graphql_client import error_codes, gql

NS = "https://github.com/owner/repo"
TASK_FIELDS = "nativeId title status priority type phase labels owner notes closeReason closedAt"


async def create_task(client: httpx.AsyncClient, title: str, **extra: Any) -> dict[str, Any]:
    body = await gql(
        client,
        f"mutation($input: CreateTaskInput!) {{ createTask(input: $input) {{ {TASK_FIELDS} }} }}",
        {"input": {"namespace": NS, "title": title, **extra}},
    )
    assert "errors" not in body, body
    task: dict[str, Any] = body["data"]["createTask"]
    return task


async def add_edge(
    client: httpx.AsyncClient, kind: str, source: str, target: str
) -> dict[str, Any]:
    return await gql(
        client,
        "mutation($k: TaskEdgeKind!, $s: String!, $t: String!) {"
        " addTaskEdge(kind: $k, source: $s, target: $t) { created edge { kind source target } } }",
        {"k": kind, "s": source, "t": target},
    )


async def make_agent(client: httpx.AsyncClient, name: str = "Ada") -> str:
    body = await gql(
        client,
        'mutation { createHumanAgent(input: {namespace: "team", name: "'
        + name
        + '", contact: "ada@example.org"}) { nativeId agentKind name contact } }',
    )
    agent = body["data"]["createHumanAgent"]
    assert agent["agentKind"] == "HUMAN" and agent["contact"] == "ada@example.org"
    return str(agent["nativeId"])


async def test_create_show_update_close(client: httpx.AsyncClient) -> None:
    task = await create_task(
        client, "Fix login", type="BUG", priority=0, phase="IMPL_PLAN", description="It fails"
    )
    assert task["nativeId"].startswith(NS + "--")
    assert task["status"] == "OPEN" and task["priority"] == 0 and task["type"] == "BUG"
    tid = task["nativeId"]
    shown = await gql(
        client,
        "query($id: String!) { task(id: $id) { id nativeId title createdAt description } }",
        {"id": tid},
    )
    assert shown["data"]["task"]["title"] == "Fix login"
    assert shown["data"]["task"]["createdAt"].endswith("Z")
    # Relay node lookup by global id
    node = await gql(
        client,
        "query($id: ID!) { node(id: $id) { ... on Task { nativeId } } }",
        {"id": shown["data"]["task"]["id"]},
    )
    assert node["data"]["node"]["nativeId"] == tid

    updated = await gql(
        client,
        "mutation($id: String!) { updateTask(id: $id, input: {status: IN_PROGRESS,"
        f' owner: "ada", notes: "started", priority: 1}}) {{ {TASK_FIELDS} }} }}',
        {"id": tid},
    )
    u = updated["data"]["updateTask"]
    assert (u["status"], u["owner"], u["notes"], u["priority"]) == (
        "IN_PROGRESS",
        "ada",
        "started",
        1,
    )
    assert u["title"] == "Fix login"  # untouched
    cleared = await gql(
        client,
        "mutation($id: String!) { updateTask(id: $id, input: {owner: null})"
        f" {{ {TASK_FIELDS} }} }}",
        {"id": tid},
    )
    assert cleared["data"]["updateTask"]["owner"] is None
    assert cleared["data"]["updateTask"]["notes"] == "started"

    closed = await gql(
        client,
        f'mutation($id: String!) {{ closeTask(id: $id, reason: "done") {{ {TASK_FIELDS} }} }}',
        {"id": tid},
    )
    c = closed["data"]["closeTask"]
    assert c["status"] == "CLOSED" and c["closeReason"] == "done" and c["closedAt"]
    again = await gql(
        client, 'mutation($id: String!) { closeTask(id: $id, reason: "x") { status } }', {"id": tid}
    )
    assert error_codes(again) == ["ALREADY_CLOSED"]
    reopened = await gql(
        client,
        "mutation($id: String!) { updateTask(id: $id, input: {status: OPEN})"
        f" {{ {TASK_FIELDS} }} }}",
        {"id": tid},
    )
    r = reopened["data"]["updateTask"]
    assert (r["status"], r["closedAt"], r["closeReason"]) == ("OPEN", None, None)
    via_update = await gql(
        client,
        "mutation($id: String!) { updateTask(id: $id, input: {status: CLOSED})"
        f" {{ {TASK_FIELDS} }} }}",
        {"id": tid},
    )
    assert via_update["data"]["updateTask"]["closedAt"]
    nulled = await gql(
        client,
        "mutation($id: String!) { updateTask(id: $id, input: {title: null}) { title } }",
        {"id": tid},
    )
    assert error_codes(nulled) == ["BAD_USER_INPUT"]


async def test_ids_and_namespaces_are_validated(client: httpx.AsyncClient) -> None:
    for ns in ["", "has space", "a--b"]:
        body = await gql(
            client,
            "mutation($ns: String!) {"
            ' createTask(input: {namespace: $ns, title: "t"}) { nativeId } }',
            {"ns": ns},
        )
        assert error_codes(body) == ["BAD_USER_INPUT"], ns
    task = await create_task(client, "file task", namespace="file:///home/me/project")
    assert task["nativeId"].startswith("file:///home/me/project--")
    for bad in ["", "no-uuid-here", f"{NS}--not-a-uuid"]:
        body = await gql(client, "query($id: String!) { task(id: $id) { title } }", {"id": bad})
        assert error_codes(body) == ["BAD_USER_INPUT"], bad
    missing = f"{NS}--0190a5b2-0000-7000-8000-000000000000"
    body = await gql(client, "query($id: String!) { task(id: $id) { title } }", {"id": missing})
    assert body["data"]["task"] is None
    body = await gql(
        client,
        'mutation($id: String!) { closeTask(id: $id, reason: "r") { title } }',
        {"id": missing},
    )
    assert error_codes(body) == ["NOT_FOUND"]
    body = await gql(
        client,
        'mutation { createTask(input: {namespace: "x", title: "t", priority: 5}) { title } }',
    )
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_list_filters_and_pagination(client: httpx.AsyncClient) -> None:
    made = []
    for i in range(5):
        t = await create_task(
            client,
            f"t{i}",
            priority=i % 3,
            type="BUG" if i % 2 else "FEATURE",
            phase="REVIEW" if i < 2 else "LANDING",
        )
        made.append(t["nativeId"])
    await gql(
        client,
        'mutation($id: String!) { addTaskLabel(taskId: $id, label: "ui") { labels } }',
        {"id": made[3]},
    )
    await create_task(client, "elsewhere", namespace="other")
    q = (
        "query($f: TaskFilterInput, $first: Int, $after: String) { tasks(filter: $f, first: $first,"
        " after: $after) { edges { node { nativeId } } pageInfo { hasNextPage endCursor } } }"
    )

    async def ids(f: dict[str, Any]) -> list[str]:
        body = await gql(client, q, {"f": f})
        return [e["node"]["nativeId"] for e in body["data"]["tasks"]["edges"]]

    assert await ids({"namespace": NS}) == made
    assert await ids({"type": "BUG"}) == [made[1], made[3]]
    assert await ids({"priority": 0}) == [made[0], made[3]]
    assert await ids({"phase": "REVIEW"}) == made[:2]
    assert await ids({"label": "ui"}) == [made[3]]
    assert await ids({"status": "CLOSED"}) == []
    # pages of two in creation order, nothing lost or repeated
    seen: list[str] = []
    after = None
    while True:
        body = await gql(client, q, {"f": {"namespace": NS}, "first": 2, "after": after})
        page = body["data"]["tasks"]
        seen += [e["node"]["nativeId"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == made
    bad = await gql(client, q, {"after": "bm9wZQ=="})
    assert error_codes(bad) == ["BAD_USER_INPUT"]


async def test_edges_kinds_cycles_and_removal(client: httpx.AsyncClient) -> None:
    a, b, c = [(await create_task(client, n))["nativeId"] for n in "abc"]
    agent = await make_agent(client)
    r = await add_edge(client, "BLOCKED_BY", a, b)
    assert r["data"]["addTaskEdge"] == {
        "created": True,
        "edge": {"kind": "BLOCKED_BY", "source": a, "target": b},
    }
    assert (await add_edge(client, "BLOCKED_BY", a, b))["data"]["addTaskEdge"]["created"] is False
    assert "errors" not in await add_edge(client, "BLOCKED_BY", b, c)
    # c -> a would close a -> b -> c -> a; a -> a is a cycle of one
    assert error_codes(await add_edge(client, "BLOCKED_BY", c, a)) == ["CYCLE_DETECTED"]
    assert error_codes(await add_edge(client, "BLOCKED_BY", a, a)) == ["CYCLE_DETECTED"]
    # end kinds are checked: blocked_by needs a task target, attributed_to an agent
    assert error_codes(await add_edge(client, "BLOCKED_BY", a, agent)) == ["BAD_USER_INPUT"]
    assert error_codes(await add_edge(client, "ATTRIBUTED_TO", a, b)) == ["BAD_USER_INPUT"]
    assert error_codes(await add_edge(client, "GENERATED_BY", a, agent)) == ["BAD_USER_INPUT"]
    missing = f"{NS}--0190a5b2-0000-7000-8000-000000000000"
    assert error_codes(await add_edge(client, "DERIVED_FROM", a, missing)) == ["NOT_FOUND"]
    for kind, target in [
        ("ATTRIBUTED_TO", agent),
        ("DERIVED_FROM", c),
        ("SUPERSEDES", c),
        ("DISCOVERED_FROM", b),
    ]:
        assert (await add_edge(client, kind, a, target))["data"]["addTaskEdge"]["created"]

    q = (
        "query($id: String!, $k: [TaskEdgeKind!]) { taskEdges(taskId: $id, kinds: $k)"
        " { edges { node { kind source target } } totalCount } }"
    )
    body = await gql(client, q, {"id": b, "k": ["BLOCKED_BY"]})
    found = [e["node"] for e in body["data"]["taskEdges"]["edges"]]
    assert [(e["source"], e["target"]) for e in found] == sorted([(a, b), (b, c)])
    assert body["data"]["taskEdges"]["totalCount"] == 2
    body = await gql(client, q, {"id": a, "k": None})
    kinds = [e["node"]["kind"] for e in body["data"]["taskEdges"]["edges"]]  # in a stable order
    assert kinds == ["BLOCKED_BY", "DERIVED_FROM", "SUPERSEDES", "DISCOVERED_FROM", "ATTRIBUTED_TO"]
    remove = (
        "mutation($k: TaskEdgeKind!, $s: String!, $t: String!) {"
        " removeTaskEdge(kind: $k, source: $s, target: $t) { removed } }"
    )
    body = await gql(client, remove, {"k": "BLOCKED_BY", "s": a, "t": b})
    assert body["data"]["removeTaskEdge"]["removed"] is True
    body = await gql(client, remove, {"k": "BLOCKED_BY", "s": a, "t": b})
    assert body["data"]["removeTaskEdge"]["removed"] is False  # no-op, no error
    # with a -> b gone, c -> a no longer closes a cycle
    assert "errors" not in await add_edge(client, "BLOCKED_BY", c, a)


async def test_ready_blocked_tree_ancestors_descendants(client: httpx.AsyncClient) -> None:
    # top waits on mid1 and mid2; mid1 waits on leaf; leaf and mid2 wait on nothing
    top = (await create_task(client, "top", priority=0))["nativeId"]
    mid1 = (await create_task(client, "mid1", priority=2))["nativeId"]
    mid2 = (await create_task(client, "mid2", priority=1))["nativeId"]
    leaf = (await create_task(client, "leaf", priority=3))["nativeId"]
    for s, t in [(top, mid1), (top, mid2), (mid1, leaf)]:
        assert "errors" not in await add_edge(client, "BLOCKED_BY", s, t)
    q = (
        "{ readyTasks { edges { node { nativeId } } }"
        " blockedTasks { edges { node { nativeId } } } }"
    )

    async def sets() -> tuple[list[str], list[str]]:
        body = (await gql(client, q))["data"]
        return (
            [e["node"]["nativeId"] for e in body["readyTasks"]["edges"]],
            [e["node"]["nativeId"] for e in body["blockedTasks"]["edges"]],
        )

    assert await sets() == ([mid2, leaf], [top, mid1])  # by priority
    await gql(
        client,
        'mutation($id: String!) { closeTask(id: $id, reason: "ok") { status } }',
        {"id": leaf},
    )
    assert await sets() == ([mid2, mid1], [top])

    tree = await gql(
        client,
        "query($id: String!) { dependencyTree(taskId: $id) { root { nativeId } depth truncated"
        " tasks { task { nativeId } distance parentId } relations { source target } } }",
        {"id": top},
    )
    entries = [
        (e["task"]["nativeId"], e["distance"], e["parentId"])
        for e in tree["data"]["dependencyTree"]["tasks"]
    ]
    assert entries == [(mid1, 1, top), (leaf, 2, mid1), (mid2, 1, top)]  # depth-first
    walked = {(r["source"], r["target"]) for r in tree["data"]["dependencyTree"]["relations"]}
    assert walked == {(top, mid1), (top, mid2), (mid1, leaf)}
    anc = await gql(
        client,
        "query($id: String!, $d: Int) { taskAncestors(taskId: $id, depth: $d) {"
        " depth requestedDepth depthClamped depthLimited truncated"
        " tasks { task { nativeId } distance } } }",
        {"id": top, "d": 1},
    )
    a = anc["data"]["taskAncestors"]
    assert {t["task"]["nativeId"] for t in a["tasks"]} == {mid1, mid2}
    # The leaf lies beyond depth 1: a depth cut, not the node cap.
    assert (a["depthLimited"], a["truncated"]) == (True, False)
    anc = await gql(
        client,
        "query($id: String!) { taskAncestors(taskId: $id, depth: 99) { depth requestedDepth"
        " depthClamped truncated tasks { task { nativeId } distance } } }",
        {"id": top},
    )
    a = anc["data"]["taskAncestors"]
    assert a["depthClamped"] is True and a["requestedDepth"] == 99 and a["depth"] == 10
    assert {(t["task"]["nativeId"], t["distance"]) for t in a["tasks"]} == {
        (mid1, 1),
        (mid2, 1),
        (leaf, 2),
    }
    desc = await gql(
        client,
        "query($id: String!) { taskDescendants(taskId: $id)"
        " { tasks { task { nativeId } distance } relations { source target } } }",
        {"id": leaf},
    )
    assert [
        (t["task"]["nativeId"], t["distance"]) for t in desc["data"]["taskDescendants"]["tasks"]
    ] == [(mid1, 1), (top, 2)]
    walked = {(r["source"], r["target"]) for r in desc["data"]["taskDescendants"]["relations"]}
    assert walked == {(mid1, leaf), (top, mid1)}  # waiter -blocked_by-> blocker


async def test_labels_and_comments(client: httpx.AsyncClient) -> None:
    tid = (await create_task(client, "labelled"))["nativeId"]
    add = "mutation($id: String!, $l: String!) { addTaskLabel(taskId: $id, label: $l) { labels } }"
    rm = (
        "mutation($id: String!, $l: String!) { removeTaskLabel(taskId: $id, label: $l) { labels } }"
    )
    assert (await gql(client, add, {"id": tid, "l": "ui"}))["data"]["addTaskLabel"]["labels"] == [
        "ui"
    ]
    assert (await gql(client, add, {"id": tid, "l": "ui"}))["data"]["addTaskLabel"]["labels"] == [
        "ui"
    ]
    assert (await gql(client, add, {"id": tid, "l": "db"}))["data"]["addTaskLabel"]["labels"] == [
        "ui",
        "db",
    ]
    assert (await gql(client, rm, {"id": tid, "l": "ui"}))["data"]["removeTaskLabel"]["labels"] == [
        "db"
    ]
    assert (await gql(client, rm, {"id": tid, "l": "ui"}))["data"]["removeTaskLabel"]["labels"] == [
        "db"
    ]

    agent = await make_agent(client)
    comment = (
        "mutation($t: String!, $a: String!, $b: String!) { addComment(taskId: $t, agentId: $a,"
        " body: $b) { id body createdAt author { nativeId ... on HumanAgent { name } } } }"
    )
    for text in ["first", "second", "third"]:
        body = await gql(client, comment, {"t": tid, "a": agent, "b": text})
        assert body["data"]["addComment"]["author"] == {"nativeId": agent, "name": "Ada"}
    node = await gql(
        client,
        "query($id: ID!) { node(id: $id) { ... on Comment { body taskId } } }",
        {"id": body["data"]["addComment"]["id"]},
    )
    assert node["data"]["node"] == {"body": "third", "taskId": tid}
    body = await gql(client, comment, {"t": tid, "a": tid, "b": "by a task?"})
    assert error_codes(body) == ["NOT_FOUND"]
    body = await gql(
        client,
        "query($id: String!) { task(id: $id) { comments { edges { node { body } } totalCount } }"
        " taskComments(taskId: $id, first: 2) { edges { node { body } } pageInfo { hasNextPage } }"
        " }",
        {"id": tid},
    )
    nested = body["data"]["task"]["comments"]
    assert [e["node"]["body"] for e in nested["edges"]] == ["first", "second", "third"]
    assert nested["totalCount"] == 3
    page = body["data"]["taskComments"]
    assert [e["node"]["body"] for e in page["edges"]] == ["first", "second"]
    assert page["pageInfo"]["hasNextPage"] is True
    # append-only: there is no mutation to edit or delete a comment
    schema = await gql(client, '{ __type(name: "Mutation") { fields { name } } }')
    names = {f["name"] for f in schema["data"]["__type"]["fields"]}
    assert not {n for n in names if "omment" in n} - {"addComment"}


async def test_agents_typed_lookups_and_model_registry(client: httpx.AsyncClient) -> None:
    human = await make_agent(client)
    ml = await gql(
        client,
        'mutation { createMlAgent(input: {namespace: "team", role: WORKER, provider: "anthropic",'
        ' model: "claude-sonnet-4-5"}) { nativeId role provider model agentKind } }',
    )
    ml_id = ml["data"]["createMlAgent"]["nativeId"]
    assert ml["data"]["createMlAgent"]["role"] == "WORKER"
    unknown = await gql(
        client,
        'mutation { createMlAgent(input: {namespace: "team", role: WORKER, provider: "anthropic",'
        ' model: "claude-nonexistent"}) { nativeId } }',
    )
    assert error_codes(unknown) == ["NOT_FOUND"]
    sw = await gql(
        client,
        'mutation { createSoftwareAgent(input: {namespace: "team", name: "ci", version: "1.2",'
        ' source: "https://ci.example"}) { nativeId name version source } }',
    )
    sw_id = sw["data"]["createSoftwareAgent"]["nativeId"]

    ok = await gql(
        client,
        "query($h: String!, $m: String!, $s: String!) { humanAgent(id: $h) { name }"
        " mlAgent(id: $m) { model } softwareAgent(id: $s) { version }"
        " agent(id: $m) { agentKind ... on MlAgent { provider } } }",
        {"h": human, "m": ml_id, "s": sw_id},
    )
    assert ok["data"]["mlAgent"]["model"] == "claude-sonnet-4-5"
    assert ok["data"]["agent"] == {"agentKind": "ML", "provider": "anthropic"}
    wrong = await gql(client, "query($id: String!) { mlAgent(id: $id) { model } }", {"id": human})
    assert error_codes(wrong) == ["AGENT_KIND_MISMATCH"]
    wrong = await gql(client, "query($id: String!) { humanAgent(id: $id) { name } }", {"id": sw_id})
    assert error_codes(wrong) == ["AGENT_KIND_MISMATCH"]
    # Single lookups answer null when absent.
    missing = await gql(client, 'query { agent(id: "team--nope") { agentKind } }')
    assert missing == {"data": {"agent": None}}
    listed = await gql(
        client,
        "{ agents(kind: ML) { edges { node { id nativeId } } } mlModels { provider models } }",
    )
    [only] = listed["data"]["agents"]["edges"]
    assert only["node"]["nativeId"] == ml_id
    # global ids resolve through node(id:) to the concrete agent type
    node = await gql(
        client,
        "query($id: ID!) { node(id: $id) { __typename ... on MlAgent { model } } }",
        {"id": only["node"]["id"]},
    )
    assert node["data"]["node"] == {"__typename": "MlAgent", "model": "claude-sonnet-4-5"}
    providers = {p["provider"] for p in listed["data"]["mlModels"]}
    assert {"anthropic", "openai", "google"} <= providers


async def test_activities_idempotent_start_end_and_list(client: httpx.AsyncClient) -> None:
    agent = await make_agent(client)
    other = await make_agent(client, "Bob")
    start = (
        "mutation($i: StartActivityInput!) { startActivity(input: $i) { created activity {"
        " nativeId agentId phase stage notes startedAt endedAt agent { nativeId } } } }"
    )
    first = await gql(
        client,
        start,
        {"i": {"id": "run-42", "agentId": agent, "phase": "IMPL_PLAN", "notes": "go"}},
    )
    p = first["data"]["startActivity"]
    assert p["created"] is True and p["activity"]["stage"] == "IN_PROGRESS"
    assert p["activity"]["agent"]["nativeId"] == agent
    replay = await gql(client, start, {"i": {"id": "run-42", "agentId": agent, "notes": "again"}})
    r = replay["data"]["startActivity"]
    assert r["created"] is False and r["activity"]["notes"] == "go"
    gen = await gql(client, start, {"i": {"namespace": "team", "agentId": other}})
    assert gen["data"]["startActivity"]["activity"]["nativeId"].startswith("team--")
    assert error_codes(await gql(client, start, {"i": {"agentId": agent}})) == ["BAD_USER_INPUT"]
    assert error_codes(
        await gql(client, start, {"i": {"id": "x1", "agentId": "team--nobody"}})
    ) == ["NOT_FOUND"]

    end = 'mutation { endActivity(id: "run-42", stage: COMPLETE) { endedAt stage } }'
    ended = (await gql(client, end))["data"]["endActivity"]
    assert ended["endedAt"].endswith("Z") and ended["stage"] == "COMPLETE"
    assert (await gql(client, end))["data"]["endActivity"]["endedAt"] == ended["endedAt"]
    listq = "query($a: String) { activities(agentId: $a) { edges { node { nativeId } } } }"
    mine = await gql(client, listq, {"a": agent})
    assert [e["node"]["nativeId"] for e in mine["data"]["activities"]["edges"]] == ["run-42"]
    every = await gql(client, listq, {"a": None})
    assert len(every["data"]["activities"]["edges"]) == 2


async def test_nested_relations_are_batched(client: httpx.AsyncClient, app: Any) -> None:
    """Relations and comments of a page of tasks load with one query each (no N+1)."""
    ids = [(await create_task(client, f"n{i}"))["nativeId"] for i in range(4)]
    for s, t in itertools.pairwise(ids):
        await add_edge(client, "BLOCKED_BY", s, t)
    executor = app_state(app).executor
    before = executor.stats.queries
    body = await gql(
        client,
        "{ tasks { edges { node { relations { edges { node { kind } } }"
        " comments { edges { node { body } } } } } } }",
    )
    assert "errors" not in body, body
    assert len(body["data"]["tasks"]["edges"]) == 4
    assert executor.stats.queries - before == 3  # list + relations + comments


async def test_relay_nodes_lookups_are_batched_per_type(
    client: httpx.AsyncClient, app: Any
) -> None:
    agent = await make_agent(client)
    tasks = [await create_task(client, f"r{i}") for i in range(3)]
    ids = []
    for t in tasks:
        shown = await gql(
            client, "query($id: String!) { task(id: $id) { id } }", {"id": t["nativeId"]}
        )
        ids.append(shown["data"]["task"]["id"])
        made = await gql(
            client,
            "mutation($t: String!, $a: String!) { addComment(taskId: $t, agentId: $a,"
            ' body: "hi") { id } }',
            {"t": t["nativeId"], "a": agent},
        )
        ids.append(made["data"]["addComment"]["id"])
    executor = app_state(app).executor
    before = executor.stats.queries
    body = await gql(
        client,
        "query($ids: [ID!]!) { nodes(ids: $ids) { __typename"
        " ... on Task { title } ... on Comment { body } } }",
        {"ids": ids},
    )
    assert [n["__typename"] for n in body["data"]["nodes"]] == ["Task", "Comment"] * 3
    assert executor.stats.queries - before == 2  # one query per type, not per id
