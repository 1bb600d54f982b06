"""Tasks: what each task field and mutation sends."""

from __future__ import annotations

from typing import Any
from unittest.mock import ANY

import pytest

from provgraph.core.api.relay import encode_cursor
from tests.tck.harness import TENANT, StartsWith, Tck, covers
from tests.tck.recording import Row, in_turn
from tests.tck.rows import AGENT_H, NS, T0, TASK_A, TASK_B, TASK_C, comment, page, task

TASK_FIELDS = "nativeId title status priority labels"


# --- reads -------------------------------------------------------------------------------------


@covers("Query.task")
async def test_task_is_one_batched_lookup(tck: Tck) -> None:
    tck.answer("tracker/get_tasks", [task()])
    data = await tck.data(
        "query($id: String!) { task(id: $id) { nativeId title } }", {"id": TASK_A}
    )
    assert data == {"task": {"nativeId": TASK_A, "title": "title of 8057"}}
    assert tck.sent() == [("tracker/get_tasks", {"tenant": TENANT, "ids": [TASK_A]})]
    assert tck.transactions() == [("tracker/get_tasks", False, ["tracker/get_tasks"])]


async def test_task_not_found_is_null(tck: Tck) -> None:
    data = await tck.data("query($id: String!) { task(id: $id) { id } }", {"id": TASK_A})
    assert data == {"task": None}
    assert tck.names() == ["tracker/get_tasks"]


@pytest.mark.parametrize("bad", ["", "no-uuid", "tck--not-a-uuid", "a b--" + TASK_A[5:]])
async def test_task_with_a_malformed_id_sends_nothing(tck: Tck, bad: str) -> None:
    code = await tck.error("query($id: String!) { task(id: $id) { id } }", {"id": bad})
    assert code == "BAD_USER_INPUT"
    assert tck.calls == []


async def test_two_task_fields_in_one_document_are_two_queries(tck: Tck) -> None:
    tck.answer("tracker/get_tasks", [task(TASK_A), task(TASK_B)])
    await tck.data(
        "query($a: String!, $b: String!) { a: task(id: $a) { id } b: task(id: $b) { id } }",
        {"a": TASK_A, "b": TASK_B},
    )
    # task() validates then calls the service directly: no DataLoader batches the two.
    assert tck.sent() == [
        ("tracker/get_tasks", {"tenant": TENANT, "ids": [TASK_A]}),
        ("tracker/get_tasks", {"tenant": TENANT, "ids": [TASK_B]}),
    ]


def _list_params(**changes: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "tenant": TENANT,
        "status": None,
        "priority": None,
        "type": None,
        "phase": None,
        "label": None,
        "namespace": None,
        "after_created": None,
        "after_id": None,
        "limit": 51,
    }
    params.update(changes)
    return params


@covers("Query.tasks")
async def test_tasks_defaults_to_a_page_of_50_plus_one(tck: Tck) -> None:
    tck.answer("tracker/list_tasks", page([task(TASK_A), task(TASK_B)], total=2))
    data = await tck.data(
        "{ tasks { totalCount edges { node { nativeId } } pageInfo { hasNextPage endCursor } } }"
    )
    assert data["tasks"]["totalCount"] == 2
    assert [e["node"]["nativeId"] for e in data["tasks"]["edges"]] == [TASK_A, TASK_B]
    assert data["tasks"]["pageInfo"] == {
        "hasNextPage": False,
        "endCursor": encode_cursor([T0, TASK_B]),
    }
    assert tck.sent() == [("tracker/list_tasks", _list_params())]


async def test_tasks_filter_first_and_after_map_to_parameters(tck: Tck) -> None:
    tck.answer("tracker/list_tasks", page([task(TASK_A), task(TASK_B), task(TASK_C)]))
    data = await tck.data(
        """query($f: TaskFilterInput, $first: Int, $after: String) {
             tasks(filter: $f, first: $first, after: $after) {
               edges { node { nativeId } } pageInfo { hasNextPage hasPreviousPage } } }""",
        {
            "f": {
                "status": "IN_PROGRESS",
                "priority": 1,
                "type": "BUG",
                "phase": "CODE_REVIEW",
                "label": "  urgent ",
                "namespace": NS,
            },
            "first": 2,
            "after": encode_cursor([T0 - 5, TASK_C]),
        },
    )
    # first + 1 rows asked: the extra one only tells that a next page exists.
    assert len(data["tasks"]["edges"]) == 2
    assert data["tasks"]["pageInfo"] == {"hasNextPage": True, "hasPreviousPage": True}
    assert tck.sent() == [
        (
            "tracker/list_tasks",
            _list_params(
                status="in_progress",
                priority=1,
                type="bug",
                phase="code_review",
                label="urgent",
                namespace=NS,
                after_created=T0 - 5,
                after_id=TASK_C,
                limit=3,
            ),
        )
    ]


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"first": -1}, "first"),
        ({"first": 501}, "first"),
        ({"after": "not base64 json!"}, "after"),
        ({"after": encode_cursor(["wrong", "types"])}, "after"),
        ({"f": {"priority": 7}}, "priority"),
        ({"f": {"namespace": "bad ns"}}, "namespace"),
        ({"f": {"label": "   "}}, "label"),
    ],
)
async def test_tasks_with_bad_arguments_sends_nothing(
    tck: Tck, variables: dict[str, Any], field: str
) -> None:
    body = await tck.post(
        """query($f: TaskFilterInput, $first: Int, $after: String) {
             tasks(filter: $f, first: $first, after: $after) { edges { cursor } } }""",
        variables,
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == field
    assert tck.calls == []


def _ready_params(**changes: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "tenant": TENANT,
        "namespace": None,
        "after_priority": None,
        "after_created": None,
        "after_id": None,
        "limit": 51,
    }
    params.update(changes)
    return params


@covers("Query.readyTasks")
async def test_ready_tasks(tck: Tck) -> None:
    tck.answer("tracker/list_ready", page([task(TASK_A, priority=0)], total=4))
    data = await tck.data(
        "query($ns: String, $first: Int) { readyTasks(namespace: $ns, first: $first) "
        "{ totalCount edges { cursor node { nativeId } } } }",
        {"ns": NS, "first": 10},
    )
    assert data["readyTasks"]["totalCount"] == 4
    assert data["readyTasks"]["edges"] == [
        {"cursor": encode_cursor([0, T0, TASK_A]), "node": {"nativeId": TASK_A}}
    ]
    assert tck.sent() == [("tracker/list_ready", _ready_params(namespace=NS, limit=11))]


@covers("Query.blockedTasks")
async def test_blocked_tasks_after_a_cursor(tck: Tck) -> None:
    await tck.data(
        "query($after: String) { blockedTasks(after: $after) { edges { cursor } } }",
        {"after": encode_cursor([1, T0, TASK_B])},
    )
    assert tck.sent() == [
        (
            "tracker/list_blocked",
            _ready_params(after_priority=1, after_created=T0, after_id=TASK_B),
        )
    ]


async def test_ready_tasks_with_a_cursor_of_another_list_sends_nothing(tck: Tck) -> None:
    # A tasks() cursor is [created, id]; ready/blocked ones are [priority, created, id].
    code = await tck.error(
        "query($after: String) { readyTasks(after: $after) { edges { cursor } } }",
        {"after": encode_cursor([T0, TASK_A])},
    )
    assert code == "BAD_USER_INPUT"
    assert tck.calls == []


def _relations(task_id: str, *edges: tuple[str, str, str]) -> Row:
    return {
        "task_id": task_id,
        "total": len(edges),
        "page": [{"type": t, "source": s, "target": g} for t, s, g in edges],
    }


def _relation_params(**changes: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "tenant": TENANT,
        "ids": [TASK_A],
        "rel_types": [
            "BLOCKED_BY",
            "WAS_DERIVED_FROM",
            "SUPERSEDES",
            "WAS_DISCOVERED_FROM",
            "WAS_GENERATED_BY",
            "WAS_ATTRIBUTED_TO",
        ],
        "ranks": ANY,
        "reversed": ANY,
        "after_rank": -1,
        "after_source": "",
        "after_target": "",
        "limit": 51,
    }
    params.update(changes)
    return params


@covers("Query.taskEdges")
async def test_task_edges_of_every_task_kind_by_default(tck: Tck) -> None:
    tck.answer("tracker/page_relations", [_relations(TASK_A, ("BLOCKED_BY", TASK_A, TASK_B))])
    data = await tck.data(
        "query($id: String!) { taskEdges(taskId: $id) "
        "{ totalCount edges { node { kind source target } } } }",
        {"id": TASK_A},
    )
    assert data["taskEdges"] == {
        "totalCount": 1,
        "edges": [{"node": {"kind": "BLOCKED_BY", "source": TASK_A, "target": TASK_B}}],
    }
    assert tck.sent() == [("tracker/page_relations", _relation_params())]


async def test_task_edges_kinds_first_and_after(tck: Tck) -> None:
    tck.answer("tracker/page_relations", [_relations(TASK_A)])
    await tck.data(
        "query($id: String!, $after: String) { taskEdges(taskId: $id, "
        "kinds: [SUPERSEDES, BLOCKED_BY], first: 3, after: $after) { totalCount } }",
        {"id": TASK_A, "after": encode_cursor(["derived_from", TASK_A, TASK_B])},
    )
    [(_, params)] = tck.sent()
    # Kinds as asked (order kept); the cursor's kind becomes its rank in EdgeKind order.
    assert params == _relation_params(
        rel_types=["SUPERSEDES", "BLOCKED_BY"],
        after_rank=params["ranks"]["WAS_DERIVED_FROM"],
        after_source=TASK_A,
        after_target=TASK_B,
        limit=4,
    )


async def test_task_edges_of_a_missing_task_is_not_found(tck: Tck) -> None:
    code = await tck.error(
        "query($id: String!) { taskEdges(taskId: $id) { totalCount } }", {"id": TASK_A}
    )
    assert code == "NOT_FOUND"
    assert tck.names() == ["tracker/page_relations"]


def _chain(params: dict[str, Any]) -> list[Row]:
    """Each id is blocked by ``id + "x"``: an endless chain."""
    return [{"from_id": i, "to_id": i + "x"} for i in params["ids"]]


def _tasks_of(params: dict[str, Any]) -> list[Row]:
    return [task(i) for i in params["ids"]]


@covers("Query.dependencyTree")
async def test_dependency_tree_walks_blockers_level_by_level(tck: Tck) -> None:
    tck.answer(
        "tracker/blockers_of",
        in_turn([{"from_id": TASK_A, "to_id": TASK_B}], [{"from_id": TASK_B, "to_id": TASK_C}]),
    )
    tck.answer("tracker/get_tasks", _tasks_of)
    data = await tck.data(
        "query($id: String!) { dependencyTree(taskId: $id, depth: 2) { depth requestedDepth "
        "depthClamped truncated tasks { distance parentId task { nativeId } } } }",
        {"id": TASK_A},
    )
    assert data["dependencyTree"] == {
        "depth": 2,
        "requestedDepth": 2,
        "depthClamped": False,
        "truncated": False,
        "tasks": [
            {"distance": 1, "parentId": TASK_A, "task": {"nativeId": TASK_B}},
            {"distance": 2, "parentId": TASK_B, "task": {"nativeId": TASK_C}},
        ],
    }
    assert tck.sent() == [
        ("tracker/blockers_of", {"tenant": TENANT, "ids": [TASK_A]}),
        ("tracker/blockers_of", {"tenant": TENANT, "ids": [TASK_B]}),
        # The depth is used up with a frontier left: one more level tells whether it was cut.
        ("tracker/blockers_of", {"tenant": TENANT, "ids": [TASK_C]}),
        ("tracker/get_tasks", {"tenant": TENANT, "ids": [TASK_A, TASK_B, TASK_C]}),
    ]


async def test_dependency_tree_reads_its_tasks_in_its_transaction(tck: Tck) -> None:
    """The walk and the tasks it reached come from one read transaction (one snapshot)."""
    tck.answer("tracker/get_tasks", _tasks_of)
    await tck.data("query($id: String!) { dependencyTree(taskId: $id) { depth } }", {"id": TASK_A})
    assert tck.transactions() == [
        ("tracker/dependency_tree", False, ["tracker/blockers_of", "tracker/get_tasks"]),
    ]


async def test_dependency_tree_depth_is_clamped_to_the_maximum(tck: Tck) -> None:
    tck.answer("tracker/blockers_of", _chain)
    tck.answer("tracker/get_tasks", _tasks_of)
    data = await tck.data(
        "query($id: String!) { dependencyTree(taskId: $id, depth: 40) "
        "{ depth requestedDepth depthClamped depthLimited truncated } }",
        {"id": TASK_A},
    )
    # The depth cut the chain (depthLimited); the node cap did not (truncated).
    assert data["dependencyTree"] == {
        "depth": 10,
        "requestedDepth": 40,
        "depthClamped": True,
        "depthLimited": True,
        "truncated": False,
    }
    # max_traversal_depth levels, then the probe that finds the chain goes on.
    assert tck.names().count("tracker/blockers_of") == 11


async def test_task_traversals_default_to_the_maximum_depth(tck: Tck) -> None:
    tck.answer("tracker/blockers_of", _chain)
    tck.answer("tracker/get_tasks", _tasks_of)
    data = await tck.data(
        "query($id: String!) { taskAncestors(taskId: $id) { depth requestedDepth } }",
        {"id": TASK_A},
    )
    # Unlike the run traversals (default 3), task traversals default to the cap itself.
    assert data["taskAncestors"] == {"depth": 10, "requestedDepth": 10}
    assert tck.names().count("tracker/blockers_of") == 11


@pytest.mark.parametrize("field", ["dependencyTree", "taskAncestors", "taskDescendants"])
@pytest.mark.parametrize(("task_id", "depth"), [(TASK_A, 0), (TASK_A, -3), ("oops", 2)])
async def test_task_traversals_with_bad_arguments_send_nothing(
    tck: Tck, field: str, task_id: str, depth: int
) -> None:
    code = await tck.error(
        f"query($id: String!, $d: Int) {{ {field}(taskId: $id, depth: $d) {{ depth }} }}",
        {"id": task_id, "d": depth},
    )
    assert code == "BAD_USER_INPUT"
    assert tck.calls == []


@covers("Query.taskAncestors")
async def test_task_ancestors_follow_blockers(tck: Tck) -> None:
    tck.answer("tracker/blockers_of", in_turn([{"from_id": TASK_A, "to_id": TASK_B}]))
    tck.answer("tracker/get_tasks", _tasks_of)
    data = await tck.data(
        "query($id: String!) { taskAncestors(taskId: $id, depth: 3) "
        "{ tasks { distance task { nativeId } } relations { kind source target } } }",
        {"id": TASK_A},
    )
    assert data["taskAncestors"] == {
        "tasks": [{"distance": 1, "task": {"nativeId": TASK_B}}],
        "relations": [{"kind": "BLOCKED_BY", "source": TASK_A, "target": TASK_B}],
    }
    assert tck.sent() == [
        ("tracker/blockers_of", {"tenant": TENANT, "ids": [TASK_A]}),
        ("tracker/blockers_of", {"tenant": TENANT, "ids": [TASK_B]}),
        ("tracker/get_tasks", {"tenant": TENANT, "ids": [TASK_A, TASK_B]}),
    ]


@covers("Query.taskDescendants")
async def test_task_descendants_follow_dependents(tck: Tck) -> None:
    tck.answer("tracker/dependents_of", in_turn([{"from_id": TASK_A, "to_id": TASK_C}]))
    tck.answer("tracker/get_tasks", _tasks_of)
    data = await tck.data(
        "query($id: String!) { taskDescendants(taskId: $id, depth: 1) "
        "{ truncated relations { kind source target } } }",
        {"id": TASK_A},
    )
    # Client orientation: the dependent is the source of its blocked_by edge.
    assert data["taskDescendants"] == {
        "truncated": False,
        "relations": [{"kind": "BLOCKED_BY", "source": TASK_C, "target": TASK_A}],
    }
    assert tck.sent() == [
        ("tracker/dependents_of", {"tenant": TENANT, "ids": [TASK_A]}),
        ("tracker/dependents_of", {"tenant": TENANT, "ids": [TASK_C]}),
        ("tracker/get_tasks", {"tenant": TENANT, "ids": [TASK_A, TASK_C]}),
    ]
    assert "tracker/blockers_of" not in tck.names()


async def test_task_traversal_of_a_missing_task_is_not_found(tck: Tck) -> None:
    code = await tck.error(
        "query($id: String!) { taskAncestors(taskId: $id) { depth } }", {"id": TASK_A}
    )
    assert code == "NOT_FOUND"
    assert tck.names() == ["tracker/blockers_of", "tracker/get_tasks"]


@covers("Query.taskComments")
async def test_task_comments_page(tck: Tck) -> None:
    tck.answer(
        "tracker/page_comments",
        [{"task_id": TASK_A, "total": 1, "page": [{k: v for k, v in comment().items()}]}],
    )
    data = await tck.data(
        "query($id: String!, $after: String) { taskComments(taskId: $id, first: 2, "
        "after: $after) { totalCount edges { node { body } } } }",
        {"id": TASK_A, "after": encode_cursor([4, "c-4"])},
    )
    assert data["taskComments"] == {"totalCount": 1, "edges": [{"node": {"body": "a remark"}}]}
    assert tck.sent() == [
        (
            "tracker/page_comments",
            {
                "tenant": TENANT,
                "ids": [TASK_A],
                "after_seq": 4,
                "after_id": "c-4",
                "limit": 3,
            },
        )
    ]


async def test_task_comments_first_page_starts_before_sequence_one(tck: Tck) -> None:
    tck.answer("tracker/page_comments", [{"task_id": TASK_A, "total": 0, "page": []}])
    await tck.data(
        "query($id: String!) { taskComments(taskId: $id) { totalCount } }", {"id": TASK_A}
    )
    assert tck.calls[0].params == {
        "tenant": TENANT,
        "ids": [TASK_A],
        "after_seq": 0,
        "after_id": "",
        "limit": 51,
    }


# --- writes ------------------------------------------------------------------------------------


CREATE = """mutation($input: CreateTaskInput!) { createTask(input: $input) { nativeId } }"""


@covers("Mutation.createTask")
async def test_create_task_sends_every_field_with_a_new_id(tck: Tck) -> None:
    tck.answer("tracker/create_task", lambda p: [task(p["id"])])
    data = await tck.data(
        CREATE,
        {"input": {"namespace": NS, "title": "Write the TCK", "priority": 1, "type": "CHORE"}},
    )
    assert data["createTask"]["nativeId"].startswith(f"{NS}--")
    assert tck.sent() == [
        (
            "tracker/create_task",
            {
                "tenant": TENANT,
                "now": ANY,
                "id": data["createTask"]["nativeId"],
                "namespace": NS,
                "title": "Write the TCK",
                "description": "",
                "type": "chore",
                "priority": 1,
                "phase": "unscoped",
                "owner": None,
                "notes": None,
            },
        )
    ]
    assert tck.transactions() == [("tracker/create_task", True, ["tracker/create_task"])]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"namespace": "has space"}, "namespace"),
        ({"namespace": "a--b"}, "namespace"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"priority": 5}, "priority"),
        ({"priority": -1}, "priority"),
    ],
)
async def test_create_task_with_bad_input_sends_nothing(
    tck: Tck, changes: dict[str, Any], field: str
) -> None:
    body = await tck.post(CREATE, {"input": {"namespace": NS, "title": "t", **changes}})
    [error] = body["errors"]
    assert (error["extensions"]["code"], error["extensions"].get("field")) == (
        "BAD_USER_INPUT",
        field,
    )
    assert tck.calls == []


UPDATE = """mutation($id: String!, $input: UpdateTaskInput!) {
  updateTask(id: $id, input: $input) { nativeId } }"""


@covers("Mutation.updateTask")
async def test_update_task_sends_only_the_given_fields(tck: Tck) -> None:
    """The task as it was is read in the same transaction (the audit trail's before)."""
    tck.answer("tracker/get_tasks", [task()])
    tck.answer("tracker/update_task", [task()])
    await tck.data(
        UPDATE,
        {"id": TASK_A, "input": {"title": "New", "status": "CLOSED", "owner": None}},
    )
    assert tck.transactions() == [
        ("tracker/update_task", True, ["tracker/get_tasks", "tracker/update_task"])
    ]
    assert tck.sent() == [
        ("tracker/get_tasks", {"tenant": TENANT, "ids": [TASK_A]}),
        (
            "tracker/update_task",
            {
                "tenant": TENANT,
                "id": TASK_A,
                # null clears owner; omitted fields are not sent at all.
                "changes": {"title": "New", "status": "closed", "owner": None},
                "now": ANY,
            },
        ),
    ]


async def test_update_task_of_a_missing_task_is_not_found(tck: Tck) -> None:
    assert await tck.error(UPDATE, {"id": TASK_A, "input": {"notes": "n"}}) == "NOT_FOUND"
    assert tck.names() == ["tracker/get_tasks"]


@pytest.mark.parametrize(
    ("task_id", "update"),
    [
        ("not-a-task-id", {"title": "x"}),
        (TASK_A, {"title": None}),
        (TASK_A, {"status": None}),
        (TASK_A, {"priority": 9}),
        (TASK_A, {"title": ""}),
    ],
)
async def test_update_task_with_bad_input_sends_nothing(
    tck: Tck, task_id: str, update: dict[str, Any]
) -> None:
    assert await tck.error(UPDATE, {"id": task_id, "input": update}) == "BAD_USER_INPUT"
    assert tck.calls == []


async def test_update_task_with_no_changes_still_writes(tck: Tck) -> None:
    """Pins today's behaviour: an empty input is not refused and sends an empty change map
    (which still bumps ``updated_at``)."""
    tck.answer("tracker/get_tasks", [task()])
    tck.answer("tracker/update_task", [task()])
    await tck.data(UPDATE, {"id": TASK_A, "input": {}})
    assert tck.sent() == [
        ("tracker/get_tasks", {"tenant": TENANT, "ids": [TASK_A]}),
        ("tracker/update_task", {"tenant": TENANT, "id": TASK_A, "changes": {}, "now": ANY}),
    ]


CLOSE = """mutation($id: String!, $reason: String!) {
  closeTask(id: $id, reason: $reason) { status closeReason } }"""


@covers("Mutation.closeTask")
async def test_close_task(tck: Tck) -> None:
    tck.answer(
        "tracker/close_task",
        [{"was_closed": False, **task(status="closed", close_reason="done", closed_at=T0)}],
    )
    data = await tck.data(CLOSE, {"id": TASK_A, "reason": "done"})
    assert data == {"closeTask": {"status": "CLOSED", "closeReason": "done"}}
    assert tck.sent() == [
        ("tracker/close_task", {"tenant": TENANT, "id": TASK_A, "reason": "done", "now": ANY})
    ]


async def test_close_task_twice_is_already_closed(tck: Tck) -> None:
    tck.answer("tracker/close_task", [{"was_closed": True, **task(status="closed")}])
    assert await tck.error(CLOSE, {"id": TASK_A, "reason": "again"}) == "ALREADY_CLOSED"
    assert tck.names() == ["tracker/close_task"]


@pytest.mark.parametrize(("task_id", "reason"), [(TASK_A, "  "), ("x", "done")])
async def test_close_task_with_bad_input_sends_nothing(tck: Tck, task_id: str, reason: str) -> None:
    assert await tck.error(CLOSE, {"id": task_id, "reason": reason}) == "BAD_USER_INPUT"
    assert tck.calls == []


ADD_EDGE = """mutation($kind: TaskEdgeKind!, $s: String!, $t: String!) {
  addTaskEdge(kind: $kind, source: $s, target: $t) { created edge { kind source target } } }"""


@covers("Mutation.addTaskEdge")
async def test_add_task_edge_checks_both_ends_then_links_in_one_transaction(tck: Tck) -> None:
    tck.answer(
        "tracker/node_kinds", [{"id": TASK_A, "kind": "task"}, {"id": AGENT_H, "kind": "agent"}]
    )
    tck.answer("tracker/add_attributed_to", [{"created": True}])
    data = await tck.data(ADD_EDGE, {"kind": "ATTRIBUTED_TO", "s": TASK_A, "t": AGENT_H})
    assert data["addTaskEdge"]["created"] is True
    assert tck.sent() == [
        ("tracker/node_kinds", {"tenant": TENANT, "ids": [TASK_A, AGENT_H]}),
        (
            "tracker/add_attributed_to",
            {"tenant": TENANT, "source": TASK_A, "target": AGENT_H, "now": ANY},
        ),
    ]
    assert tck.transactions() == [
        ("tracker/add_attributed_to", True, ["tracker/node_kinds", "tracker/add_attributed_to"])
    ]


async def test_add_blocked_by_takes_the_tenant_lock_and_checks_for_a_cycle(tck: Tck) -> None:
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer(
        "tracker/node_kinds", [{"id": TASK_A, "kind": "task"}, {"id": TASK_B, "kind": "task"}]
    )
    tck.answer("tracker/add_blocked_by", [{"created": True}])
    await tck.data(ADD_EDGE, {"kind": "BLOCKED_BY", "s": TASK_A, "t": TASK_B})
    assert tck.sent() == [
        ("core/ensure_tenant_lock", {"tenant": TENANT, "now": ANY}),
        ("core/take_tenant_lock", {"tenant": TENANT}),
        ("tracker/node_kinds", {"tenant": TENANT, "ids": [TASK_A, TASK_B]}),
        # Would the new edge close a cycle: does the target already wait on the source?
        ("tracker/find_blocking_path", {"tenant": TENANT, "from": TASK_B, "to": TASK_A}),
        (
            "tracker/add_blocked_by",
            {"tenant": TENANT, "source": TASK_A, "target": TASK_B, "now": ANY},
        ),
    ]
    assert [(label, write) for label, write, _ in tck.transactions()] == [
        ("core/ensure_tenant_lock", True),
        ("tracker/add_blocked_by", True),
    ]
    # The lock node is known to exist now: the next blocked_by skips ensuring it.
    tck.clear()
    await tck.data(ADD_EDGE, {"kind": "BLOCKED_BY", "s": TASK_A, "t": TASK_B})
    assert tck.names()[0] == "core/take_tenant_lock"


async def test_add_blocked_by_refuses_a_cycle_before_writing(tck: Tck) -> None:
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer(
        "tracker/node_kinds", [{"id": TASK_A, "kind": "task"}, {"id": TASK_B, "kind": "task"}]
    )
    tck.answer("tracker/find_blocking_path", [{"path_length": 2}])
    code = await tck.error(ADD_EDGE, {"kind": "BLOCKED_BY", "s": TASK_A, "t": TASK_B})
    assert code == "CYCLE_DETECTED"
    assert "tracker/add_blocked_by" not in tck.names()


async def test_add_task_edge_to_the_wrong_kind_of_node_writes_nothing(tck: Tck) -> None:
    tck.answer(
        "tracker/node_kinds", [{"id": TASK_A, "kind": "task"}, {"id": TASK_B, "kind": "task"}]
    )
    code = await tck.error(ADD_EDGE, {"kind": "GENERATED_BY", "s": TASK_A, "t": TASK_B})
    assert code == "BAD_USER_INPUT"
    assert tck.names() == ["tracker/node_kinds"]


@pytest.mark.parametrize(
    ("kind", "source", "target"),
    [
        ("BLOCKED_BY", TASK_A, TASK_A),  # a task cannot wait on itself
        ("DERIVED_FROM", "not-a-task-id", TASK_B),
        ("DERIVED_FROM", TASK_A, "has space"),
        ("DERIVED_FROM", TASK_A, ""),
    ],
)
async def test_add_task_edge_with_bad_input_sends_nothing(
    tck: Tck, kind: str, source: str, target: str
) -> None:
    assert await tck.error(ADD_EDGE, {"kind": kind, "s": source, "t": target}) in {
        "BAD_USER_INPUT",
        "CYCLE_DETECTED",
    }
    assert tck.calls == []


# Each task edge kind: its target's node kind, its add query, and its stored type.
EDGE_KINDS = [
    ("BLOCKED_BY", "task", "tracker/add_blocked_by", "BLOCKED_BY"),
    ("DERIVED_FROM", "task", "tracker/add_derived_from", "WAS_DERIVED_FROM"),
    ("SUPERSEDES", "task", "tracker/add_supersedes", "SUPERSEDES"),
    ("DISCOVERED_FROM", "task", "tracker/add_discovered_from", "WAS_DISCOVERED_FROM"),
    ("GENERATED_BY", "activity", "tracker/add_generated_by", "WAS_GENERATED_BY"),
    ("ATTRIBUTED_TO", "agent", "tracker/add_attributed_to", "WAS_ATTRIBUTED_TO"),
]


@pytest.mark.parametrize(("kind", "target_kind", "query", "rel_type"), EDGE_KINDS)
async def test_each_task_edge_kind_has_its_own_add_query(
    tck: Tck, kind: str, target_kind: str, query: str, rel_type: str
) -> None:
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer(
        "tracker/node_kinds", [{"id": TASK_A, "kind": "task"}, {"id": TASK_B, "kind": target_kind}]
    )
    tck.answer(query, [{"created": False}])
    data = await tck.data(ADD_EDGE, {"kind": kind, "s": TASK_A, "t": TASK_B})
    assert data["addTaskEdge"] == {
        "created": False,
        "edge": {"kind": kind, "source": TASK_A, "target": TASK_B},
    }
    assert tck.sent()[-1] == (
        query,
        {"tenant": TENANT, "source": TASK_A, "target": TASK_B, "now": ANY},
    )
    # Only blocked_by can close a cycle: only it takes the tenant lock and looks for a path.
    locked = {"core/ensure_tenant_lock", "core/take_tenant_lock", "tracker/find_blocking_path"}
    assert bool(locked & set(tck.names())) == (kind == "BLOCKED_BY")


@pytest.mark.parametrize(("kind", "target_kind", "query", "rel_type"), EDGE_KINDS)
async def test_each_task_edge_kind_is_removed_by_its_stored_type(
    tck: Tck, kind: str, target_kind: str, query: str, rel_type: str
) -> None:
    await tck.data(
        """mutation($k: TaskEdgeKind!, $s: String!, $t: String!) {
             removeTaskEdge(kind: $k, source: $s, target: $t) { removed } }""",
        {"k": kind, "s": TASK_A, "t": TASK_B},
    )
    assert tck.sent() == [
        (
            "tracker/remove_edge",
            {"tenant": TENANT, "start": TASK_A, "end": TASK_B, "rel_type": rel_type},
        )
    ]


@covers("Mutation.removeTaskEdge")
async def test_remove_task_edge_names_the_stored_type(tck: Tck) -> None:
    tck.answer("tracker/remove_edge", [{"removed": True}])
    data = await tck.data(
        """mutation($s: String!, $t: String!) {
             removeTaskEdge(kind: DISCOVERED_FROM, source: $s, target: $t) { removed } }""",
        {"s": TASK_A, "t": TASK_B},
    )
    assert data == {"removeTaskEdge": {"removed": True}}
    assert tck.sent() == [
        (
            "tracker/remove_edge",
            {
                "tenant": TENANT,
                "start": TASK_A,
                "end": TASK_B,
                "rel_type": "WAS_DISCOVERED_FROM",
            },
        )
    ]


async def test_remove_task_edge_with_a_bad_source_sends_nothing(tck: Tck) -> None:
    code = await tck.error(
        'mutation { removeTaskEdge(kind: BLOCKED_BY, source: "x", target: "y") { removed } }'
    )
    assert code == "BAD_USER_INPUT"
    assert tck.calls == []


@covers("Mutation.addTaskLabel")
async def test_add_task_label_trims_the_label(tck: Tck) -> None:
    tck.answer("tracker/add_label", [task(labels=["ux"])])
    data = await tck.data(
        'mutation($id: String!) { addTaskLabel(taskId: $id, label: "  ux ") { labels } }',
        {"id": TASK_A},
    )
    assert data == {"addTaskLabel": {"labels": ["ux"]}}
    assert tck.sent() == [
        ("tracker/add_label", {"tenant": TENANT, "id": TASK_A, "label": "ux", "now": ANY})
    ]


@covers("Mutation.removeTaskLabel")
async def test_remove_task_label(tck: Tck) -> None:
    tck.answer("tracker/remove_label", [task()])
    await tck.data(
        'mutation($id: String!) { removeTaskLabel(taskId: $id, label: "ux") { labels } }',
        {"id": TASK_A},
    )
    assert tck.sent() == [
        ("tracker/remove_label", {"tenant": TENANT, "id": TASK_A, "label": "ux", "now": ANY})
    ]


@pytest.mark.parametrize("field", ["addTaskLabel", "removeTaskLabel"])
@pytest.mark.parametrize(("task_id", "label"), [(TASK_A, " "), (TASK_A, "l" * 101), ("x", "ok")])
async def test_labels_with_bad_input_send_nothing(
    tck: Tck, field: str, task_id: str, label: str
) -> None:
    code = await tck.error(
        f"mutation($id: String!, $l: String!) {{ {field}(taskId: $id, label: $l) {{ id }} }}",
        {"id": task_id, "l": label},
    )
    assert code == "BAD_USER_INPUT"
    assert tck.calls == []


async def test_label_on_a_missing_task_is_not_found(tck: Tck) -> None:
    code = await tck.error(
        'mutation($id: String!) { addTaskLabel(taskId: $id, label: "x") { id } }',
        {"id": TASK_A},
    )
    assert code == "NOT_FOUND"
    assert tck.names() == ["tracker/add_label"]


COMMENT_ON = """mutation($t: String!, $a: String!, $b: String!) {
  addComment(taskId: $t, agentId: $a, body: $b) { body taskId authorId } }"""


@covers("Mutation.addComment")
async def test_add_comment_makes_its_id_in_the_task_namespace(tck: Tck) -> None:
    tck.answer("tracker/create_comment", lambda p: [comment(p["id"], p["task_id"])])
    data = await tck.data(COMMENT_ON, {"t": TASK_A, "a": AGENT_H, "b": "Looks good"})
    assert data["addComment"]["taskId"] == TASK_A
    assert tck.sent() == [
        (
            "tracker/create_comment",
            {
                "tenant": TENANT,
                "id": StartsWith(f"{NS}--"),
                "task_id": TASK_A,
                "author_id": AGENT_H,
                "body": "Looks good",
                "now": ANY,
            },
        )
    ]


async def test_add_comment_that_matched_nothing_asks_which_end_is_missing(tck: Tck) -> None:
    tck.answer("tracker/get_tasks", [task()])
    body = await tck.post(COMMENT_ON, {"t": TASK_A, "a": AGENT_H, "b": "hi"})
    [error] = body["errors"]
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("NOT_FOUND", "agentId")
    # Two transactions: the check runs after the write found nothing.
    assert tck.sent()[1:] == [("tracker/get_tasks", {"tenant": TENANT, "ids": [TASK_A]})]


@pytest.mark.parametrize(
    ("task_id", "agent_id", "body"),
    [("x", AGENT_H, "hi"), (TASK_A, "has space", "hi"), (TASK_A, AGENT_H, "  ")],
)
async def test_add_comment_with_bad_input_sends_nothing(
    tck: Tck, task_id: str, agent_id: str, body: str
) -> None:
    code = await tck.error(COMMENT_ON, {"t": task_id, "a": agent_id, "b": body})
    assert code == "BAD_USER_INPUT"
    assert tck.calls == []
