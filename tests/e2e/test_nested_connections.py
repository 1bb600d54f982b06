"""Paging through the nested connections: comments, relations, taskEdges, steps, node edges.

Each is walked with ``first``/``after``: every item comes exactly once, in the documented order,
``hasNextPage`` is false exactly on the last page, ``totalCount`` counts them all; ``first`` over
the cap is refused as on every other connection; another tenant sees none of it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from provgraph.app import create_app
from provgraph.config import Settings
from provgraph.core.api.relay import encode_cursor
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.engine.connection import Engine
from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import RECORD

NS = "https://github.com/acme/pages"
KIND_ORDER = [k.name for k in EdgeKind]  # the documented order of edge kinds


async def page_through(
    client: httpx.AsyncClient,
    document: str,
    variables: dict[str, Any],
    path: tuple[str, ...],
    first: int,
) -> list[Any]:
    """Every node of the connection at ``path``, walked ``first`` at a time; checks each page's
    pageInfo."""
    items: list[Any] = []
    after: str | None = None
    total: int | None = None
    while True:
        body = await gql(client, document, {**variables, "first": first, "after": after})
        assert "errors" not in body, body
        page = body["data"]
        for name in path:
            page = page[name]
        nodes = [e["node"] for e in page["edges"]]
        info = page["pageInfo"]
        assert info["hasPreviousPage"] is (after is not None)
        if total is None:
            total = page["totalCount"]
        assert page["totalCount"] == total  # the count of all, whatever the cursor
        items += nodes
        if not info["hasNextPage"]:
            assert nodes or not items, "an empty last page: hasNextPage was wrong before it"
            assert len(items) == total
            return items
        assert len(nodes) == first
        assert info["endCursor"] == page["edges"][-1]["cursor"]
        after = info["endCursor"]


async def ok(client: httpx.AsyncClient, document: str, **variables: Any) -> dict[str, Any]:
    body = await gql(client, document, variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def new_task(client: httpx.AsyncClient, title: str) -> str:
    made = await ok(
        client,
        "mutation($ns: String!, $t: String!) { createTask(input: {namespace: $ns, title: $t})"
        " { nativeId } }",
        ns=NS,
        t=title,
    )
    return str(made["createTask"]["nativeId"])


async def link(client: httpx.AsyncClient, kind: str, source: str, target: str) -> None:
    await ok(
        client,
        "mutation($k: TaskEdgeKind!, $s: String!, $t: String!) {"
        " addTaskEdge(kind: $k, source: $s, target: $t) { created } }",
        k=kind,
        s=source,
        t=target,
    )


async def human(client: httpx.AsyncClient) -> str:
    made = await ok(
        client,
        'mutation { createHumanAgent(input: {namespace: "team", name: "Ada"}) { nativeId } }',
    )
    return str(made["createHumanAgent"]["nativeId"])


@pytest.fixture
async def other_client(
    settings: Settings, engine: Engine, tenant: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of another tenant, on the same engine."""
    other = f"{tenant}-other"
    app: Starlette = create_app(settings.model_copy(update={"dev_tenant": other}), engine=engine)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://provgraph.test"
        ) as client:
            yield client
    await engine.driver.execute_query(
        "MATCH (n:Node {tenant: $t}) DETACH DELETE n", t=other, database_=engine.database
    )


COMMENTS = """query($id: String!, $first: Int, $after: String) {
  task(id: $id) { comments(first: $first, after: $after) {
    edges { cursor node { body } } pageInfo { hasNextPage hasPreviousPage endCursor } totalCount
  } }
}"""


async def test_task_comments_page_oldest_first(client: httpx.AsyncClient) -> None:
    task = await new_task(client, "talked about")
    agent = await human(client)
    bodies = [f"comment {i}" for i in range(7)]
    for body in bodies:
        await ok(
            client,
            "mutation($t: String!, $a: String!, $b: String!) {"
            " addComment(taskId: $t, agentId: $a, body: $b) { createdAt } }",
            t=task,
            a=agent,
            b=body,
        )
    for first in (1, 3, 7, 50):
        walked = await page_through(client, COMMENTS, {"id": task}, ("task", "comments"), first)
        assert [c["body"] for c in walked] == bodies
    # The same cursors as the root taskComments: a page of one continues in the other.
    nested = (await ok(client, COMMENTS, id=task, first=2, after=None))["task"]["comments"]
    root = await ok(
        client,
        "query($id: String!, $after: String) { taskComments(taskId: $id, first: 2, after: $after)"
        " { edges { node { body } } } }",
        id=task,
        after=nested["pageInfo"]["endCursor"],
    )
    assert [e["node"]["body"] for e in root["taskComments"]["edges"]] == bodies[2:4]


RELATIONS = """query($id: String!, $kinds: [TaskEdgeKind!], $first: Int, $after: String) {
  task(id: $id) { relations(kinds: $kinds, first: $first, after: $after) {
    edges { cursor node { kind source target } }
    pageInfo { hasNextPage hasPreviousPage endCursor } totalCount
  } }
}"""

TASK_EDGES = """query($id: String!, $kinds: [TaskEdgeKind!], $first: Int, $after: String) {
  taskEdges(taskId: $id, kinds: $kinds, first: $first, after: $after) {
    edges { cursor node { kind source target } }
    pageInfo { hasNextPage hasPreviousPage endCursor } totalCount
  }
}"""


def edge_order(edge: dict[str, Any]) -> tuple[int, str, str]:
    return KIND_ORDER.index(edge["kind"]), edge["source"], edge["target"]


async def test_relations_and_task_edges_page_by_kind_source_target(
    client: httpx.AsyncClient,
) -> None:
    hub = await new_task(client, "hub")
    others = [await new_task(client, f"other {i}") for i in range(4)]
    agent = await human(client)
    started = await ok(
        client,
        'mutation($a: String!) { startActivity(input: {agentId: $a, id: "pages-act"})'
        " { activity { nativeId } } }",
        a=agent,
    )
    activity = started["startActivity"]["activity"]["nativeId"]
    # Added out of order, both directions, several kinds.
    await link(client, "ATTRIBUTED_TO", hub, agent)
    await link(client, "DERIVED_FROM", hub, others[3])
    await link(client, "BLOCKED_BY", hub, others[1])
    await link(client, "BLOCKED_BY", others[2], hub)
    await link(client, "BLOCKED_BY", hub, others[0])
    await link(client, "GENERATED_BY", hub, activity)
    await link(client, "SUPERSEDES", others[3], hub)
    await link(client, "DISCOVERED_FROM", others[1], others[2])  # not the hub's
    expected = sorted(
        [
            {"kind": "ATTRIBUTED_TO", "source": hub, "target": agent},
            {"kind": "DERIVED_FROM", "source": hub, "target": others[3]},
            {"kind": "BLOCKED_BY", "source": hub, "target": others[1]},
            {"kind": "BLOCKED_BY", "source": others[2], "target": hub},
            {"kind": "BLOCKED_BY", "source": hub, "target": others[0]},
            {"kind": "GENERATED_BY", "source": hub, "target": activity},
            {"kind": "SUPERSEDES", "source": others[3], "target": hub},
        ],
        key=edge_order,
    )
    assert [e["kind"] for e in expected][:3] == ["BLOCKED_BY"] * 3
    for document, path in ((RELATIONS, ("task", "relations")), (TASK_EDGES, ("taskEdges",))):
        for first in (1, 2, 7):
            walked = await page_through(client, document, {"id": hub}, path, first)
            assert walked == expected
        blocked = await page_through(
            client, document, {"id": hub, "kinds": ["BLOCKED_BY", "SUPERSEDES"]}, path, 2
        )
        assert blocked == [e for e in expected if e["kind"] in ("BLOCKED_BY", "SUPERSEDES")]
        # Cursors of other lists, or of no kind there is, are refused.
        for bad in (
            "bm9wZQ==",
            encode_cursor([1]),
            encode_cursor([1, "x"]),
            encode_cursor(["no_such_kind", hub, agent]),
        ):
            body = await gql(client, document, {"id": hub, "first": 2, "after": bad})
            assert error_codes(body) == ["BAD_USER_INPUT"], body


STEPS = """query($id: String!, $first: Int, $after: String) {
  run(id: $id) { steps(first: $first, after: $after) {
    edges { cursor node { step nodes } } pageInfo { hasNextPage hasPreviousPage endCursor }
    totalCount
  } }
}"""

INCOMING = """query($node: String!, $first: Int, $after: String) {
  runNode(id: $node) { incoming(first: $first, after: $after) {
    edges { cursor node { kind source target } }
    pageInfo { hasNextPage hasPreviousPage endCursor } totalCount
  } }
}"""


# The hub's incoming edges (kind, source): six kinds, both stored directions.
HUB_INTO = [
    ("INFLUENCED", "z-obs"),
    ("INFLUENCED", "a-obs"),
    ("TRIGGERED", "m-dec"),
    ("PRODUCED", "b-call"),
    ("CONSUMED", "c-dec"),
    ("DERIVED_FROM", "d-x"),
    ("SUPERSEDES", "e-new"),
]


def hub_run(run_id: str) -> dict[str, Any]:
    """A hub decision with incoming edges of six kinds (both stored directions) and outgoing
    one; steps 0, 2, 3, 5, 9 hold 2, 1, 4, 1, 1 nodes."""
    p = f"{run_id}:"
    steps = {"z-obs": 0, "a-obs": 0, "m-dec": 2, "b-call": 3, "c-dec": 3, "d-x": 3}
    steps |= {"e-new": 5, "hub": 9}
    nodes = [{"id": p + n, "kind": "DECISION", "step": s, "text": n} for n, s in steps.items()]
    nodes += [{"id": p + "out", "kind": "OUTPUT", "step": 3, "text": "out"}]
    edges = [{"kind": k, "source": p + s, "target": p + "hub"} for k, s in HUB_INTO]
    edges += [{"kind": "INFLUENCED", "source": p + "hub", "target": p + "out"}]
    return {"run": {"id": run_id}, "nodes": nodes, "edges": edges}


async def test_run_steps_and_node_edges_page_in_order(client: httpx.AsyncClient) -> None:
    assert "errors" not in await gql(client, RECORD, {"input": hub_run("pages")})
    expected_edges = sorted(
        ({"kind": k, "source": f"pages:{s}", "target": "pages:hub"} for k, s in HUB_INTO),
        key=edge_order,
    )
    assert [e["source"] for e in expected_edges][:2] == ["pages:a-obs", "pages:z-obs"]
    for first in (1, 2, 5, 7):
        steps = await page_through(client, STEPS, {"id": "pages"}, ("run", "steps"), first)
        assert steps == [
            {"step": 0, "nodes": 2},
            {"step": 2, "nodes": 1},
            {"step": 3, "nodes": 4},
            {"step": 5, "nodes": 1},
            {"step": 9, "nodes": 1},
        ]
        incoming = await page_through(
            client, INCOMING, {"node": "pages:hub"}, ("runNode", "incoming"), first
        )
        assert incoming == expected_edges
    out = await ok(
        client,
        '{ runNode(id: "pages:hub") { outgoing { edges { node { kind target } } totalCount } } }',
    )
    assert out["runNode"]["outgoing"] == {
        "edges": [{"node": {"kind": "INFLUENCED", "target": "pages:out"}}],
        "totalCount": 1,
    }


@pytest.mark.parametrize(
    "field",
    [
        "task(id: $id) { comments(first: $first) { totalCount } }",
        "task(id: $id) { relations(first: $first) { totalCount } }",
        "taskEdges(taskId: $id, first: $first) { totalCount }",
        'run(id: "cap") { steps(first: $first) { totalCount } }',
        'runNode(id: "cap:a") { incoming(first: $first) { totalCount } }',
        'runNode(id: "cap:a") { outgoing(first: $first) { totalCount } }',
    ],
)
async def test_first_over_the_cap_is_refused_like_every_connection(
    client: httpx.AsyncClient, settings: Settings, field: str
) -> None:
    task = await new_task(client, "capped")
    run = {
        "run": {"id": "cap"},
        "nodes": [{"id": "cap:a", "kind": "INPUT", "step": 0}],
        "edges": [],
    }
    assert "errors" not in await gql(client, RECORD, {"input": run})
    over = settings.max_page_size + 1
    reference = await gql(
        client, "query($first: Int) { tasks(first: $first) { totalCount } }", {"first": over}
    )
    assert error_codes(reference) == ["BAD_USER_INPUT"]
    uses_id = "$id" in field
    document = f"query({'$id: String!, ' if uses_id else ''}$first: Int) {{ {field} }}"

    async def ask(first: int) -> dict[str, Any]:
        return await gql(client, document, {"first": first, **({"id": task} if uses_id else {})})

    body = await ask(over)
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == reference["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["field"] == "first"
    assert error_codes(await ask(-1)) == ["BAD_USER_INPUT"]
    at_cap = await ask(settings.max_page_size)
    assert "errors" not in at_cap, at_cap


async def test_another_tenant_sees_nothing_of_these_lists(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    # Both tenants record a run with the same ids; each sees only its own steps and edges.
    assert "errors" not in await gql(client, RECORD, {"input": hub_run("shared")})
    theirs = {
        "run": {"id": "shared"},
        "nodes": [
            {"id": "shared:hub", "kind": "DECISION", "step": 0},
            {"id": "shared:a-obs", "kind": "OBSERVATION", "step": 0},
        ],
        "edges": [{"kind": "INFLUENCED", "source": "shared:hub", "target": "shared:a-obs"}],
    }
    assert "errors" not in await gql(other_client, RECORD, {"input": theirs})
    document = """{ run(id: "shared") { steps { edges { node { step nodes } } totalCount } }
      runNode(id: "shared:hub") {
        incoming { edges { node { source } } totalCount }
        outgoing { edges { node { target } } totalCount }
      } }"""
    mine = await ok(client, document)
    assert mine["run"]["steps"]["totalCount"] == 5
    assert mine["runNode"]["incoming"]["totalCount"] == 7
    assert [e["node"]["target"] for e in mine["runNode"]["outgoing"]["edges"]] == ["shared:out"]
    other = await ok(other_client, document)
    assert other["run"]["steps"] == {
        "edges": [{"node": {"step": 0, "nodes": 2}}],
        "totalCount": 1,
    }
    assert other["runNode"]["incoming"] == {"edges": [], "totalCount": 0}
    assert other["runNode"]["outgoing"] == {
        "edges": [{"node": {"target": "shared:a-obs"}}],
        "totalCount": 1,
    }
    # A's task, its comments and relations: B cannot reach them.
    task = await new_task(client, "private")
    await link(client, "BLOCKED_BY", task, await new_task(client, "private blocker"))
    for document in (
        "query($id: String!) { taskEdges(taskId: $id) { totalCount } }",
        "query($id: String!) { taskComments(taskId: $id) { totalCount } }",
    ):
        assert error_codes(await gql(other_client, document, {"id": task})) == ["NOT_FOUND"]
    hidden = await ok(
        other_client,
        "query($id: String!) { task(id: $id) {"
        " relations { totalCount } comments { totalCount } } }",
        id=task,
    )
    assert hidden["task"] is None
