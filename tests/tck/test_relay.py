"""Relay ``node`` and ``nodes``: a global id's type picks the query; ids of a type are batched."""

from __future__ import annotations

from strawberry.relay import to_base64

from tests.tck.harness import TENANT, Tck, covers
from tests.tck.rows import (
    ACTIVITY,
    AGENT_H,
    COMMENT,
    TASK_A,
    TASK_B,
    activity,
    agent,
    comment,
    node,
    run,
    task,
)

NODE = "query($id: ID!) { node(id: $id) { __typename id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"


@covers("Query.node")
async def test_node_by_global_id_reads_its_type(tck: Tck) -> None:
    tck.answer("tracker/get_tasks", [task(TASK_A)])
    global_id = to_base64("Task", TASK_A)
    data = await tck.data(NODE, {"id": global_id})
    assert data == {"node": {"__typename": "Task", "id": global_id}}
    assert tck.sent() == [("tracker/get_tasks", {"tenant": TENANT, "ids": [TASK_A]})]


async def test_node_of_each_type_sends_its_own_query(tck: Tck) -> None:
    cases = [
        ("Task", TASK_A, "tracker/get_tasks", task(TASK_A)),
        ("RunNode", "n1", "runs/get_nodes", node("n1")),
        ("Run", "run-1", "runs/get_runs", run("run-1")),
        ("HumanAgent", AGENT_H, "tracker/get_agents", agent(AGENT_H)),
        ("Activity", ACTIVITY, "tracker/get_activities", activity()),
        ("Comment", COMMENT, "tracker/get_comments", comment()),
    ]
    for type_name, native, query, row in cases:
        tck.clear()
        tck.answer(query, [row])
        data = await tck.data(NODE, {"id": to_base64(type_name, native)})
        assert data["node"]["__typename"] == type_name
        assert tck.sent() == [(query, {"tenant": TENANT, "ids": [native]})]


async def test_an_agent_of_another_kind_is_null(tck: Tck) -> None:
    tck.answer("tracker/get_agents", [agent(AGENT_H, "human")])
    data = await tck.data(NODE, {"id": to_base64("MlAgent", AGENT_H)})
    assert data == {"node": None}
    assert tck.names() == ["tracker/get_agents"]


async def test_node_with_a_malformed_or_unknown_global_id_sends_nothing(tck: Tck) -> None:
    for bad in ["not base64!", to_base64("NoSuchType", "x"), to_base64("ServerInfo", "x")]:
        body = await tck.post(NODE, {"id": bad})
        assert body["errors"], bad
    assert tck.calls == []


@covers("Query.nodes")
async def test_nodes_batch_one_query_per_type_in_order(tck: Tck) -> None:
    tck.answer("tracker/get_tasks", [task(TASK_B), task(TASK_A)])
    tck.answer("runs/get_nodes", [node("n1")])
    ids = [
        to_base64("Task", TASK_A),
        to_base64("RunNode", "n1"),
        to_base64("Task", TASK_B),
        to_base64("Task", "tck--missing"),
    ]
    data = await tck.data(NODES, {"ids": ids})
    assert [n and n["__typename"] for n in data["nodes"]] == ["Task", "RunNode", "Task", None]
    assert sorted(tck.sent()) == [
        ("runs/get_nodes", {"tenant": TENANT, "ids": ["n1"]}),
        ("tracker/get_tasks", {"tenant": TENANT, "ids": [TASK_A, TASK_B, "tck--missing"]}),
    ]


async def test_nodes_over_the_limit_sends_nothing(tck: Tck) -> None:
    ids = [to_base64("Task", f"tck--{i}") for i in range(501)]
    body = await tck.post(NODES, {"ids": ids})
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "ids"}
    assert tck.calls == []
