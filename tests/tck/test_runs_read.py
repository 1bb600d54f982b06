"""Run-graph reads: what each run field sends."""

from __future__ import annotations

from typing import Any
from unittest.mock import ANY

import pytest

from provgraph.core.api.relay import encode_cursor
from tests.tck.harness import TENANT, Tck, covers
from tests.tck.recording import Row, in_turn
from tests.tck.rows import node, reached, run

# Every provenance relationship type, in vocabulary order: what run-node edges and causal
# traversals follow when no edge kinds are given (they cross into tasks, agents, activities).
CAUSAL = [
    "WAS_INFLUENCED_BY",
    "WAS_TRIGGERED_BY",
    "WAS_PRODUCED_BY",
    "CONSUMED",
    "BLOCKED_BY",
    "WAS_DERIVED_FROM",
    "SUPERSEDES",
    "WAS_DISCOVERED_FROM",
    "WAS_GENERATED_BY",
    "WAS_ATTRIBUTED_TO",
    "WAS_ASSOCIATED_WITH",
    "WAS_STARTED_BY",
    "ACTED_ON_BEHALF_OF",
    "WAS_INFORMED_BY",
    "WAS_PART_OF",
]
# The types a run records (sorted): what a run's subgraph and its verification read.
RUN_TYPES = [
    "CONSUMED",
    "SUPERSEDES",
    "WAS_DERIVED_FROM",
    "WAS_INFLUENCED_BY",
    "WAS_PRODUCED_BY",
    "WAS_TRIGGERED_BY",
]


def _exists(node_id: str) -> Row:
    """A row of runs/find_nodes: any node of the tenant, by id."""
    return {"id": node_id, "kind": "decision", "run_id": "run-1", "content_hash": "c", "hash": "h"}


def _exists_of(params: dict[str, Any]) -> list[Row]:
    return [_exists(i) for i in params["ids"]]


def _nodes_of(params: dict[str, Any]) -> list[Row]:
    return [node(i) for i in params["ids"]]


# --- runNode and run ---------------------------------------------------------------------------


@covers("Query.runNode")
async def test_run_node(tck: Tck) -> None:
    tck.answer("runs/get_nodes", [node("n1")])
    data = await tck.data(
        "query($id: String!) { runNode(id: $id) { nodeId kind text hash } }", {"id": "n1"}
    )
    assert data == {
        "runNode": {"nodeId": "n1", "kind": "DECISION", "text": "text of n1", "hash": "h"}
    }
    assert tck.sent() == [("runs/get_nodes", {"tenant": TENANT, "ids": ["n1"]})]


async def test_run_node_edges_both_ways_are_one_batched_query(tck: Tck) -> None:
    tck.answer("runs/get_nodes", [node("n1")])
    tck.answer(
        "runs/page_node_edges",
        [
            {
                "node_id": "n1",
                "outgoing": False,
                "total": 1,
                "page": [{"type": "WAS_INFLUENCED_BY", "source": "n0", "target": "n1"}],
            }
        ],
    )
    data = await tck.data(
        "query($id: String!, $after: String) { runNode(id: $id) { "
        "incoming(first: 2, after: $after) { totalCount edges { node { kind source target } } } "
        "outgoing(first: 2, after: $after) { totalCount } } }",
        {"id": "n1", "after": encode_cursor(["consumed", "a", "b"])},
    )
    assert data["runNode"]["incoming"] == {
        "totalCount": 1,
        "edges": [{"node": {"kind": "INFLUENCED", "source": "n0", "target": "n1"}}],
    }
    assert data["runNode"]["outgoing"] == {"totalCount": 0}
    [_, (name, params)] = tck.sent()
    assert name == "runs/page_node_edges"
    assert params == {
        "tenant": TENANT,
        "keys": [{"id": "n1", "outgoing": False}, {"id": "n1", "outgoing": True}],
        "types": CAUSAL,
        "ranks": ANY,
        "reversed": ANY,
        "after_rank": params["ranks"]["CONSUMED"],
        "after_source": "a",
        "after_target": "b",
        "limit": 3,
    }


async def test_run_node_missing_is_null(tck: Tck) -> None:
    assert await tck.data('{ runNode(id: "nope") { id } }') == {"runNode": None}
    assert tck.names() == ["runs/get_nodes"]


@covers("Query.run")
async def test_run_with_steps_and_nodes(tck: Tck) -> None:
    tck.answer("runs/get_runs", [run("run-1", node_count=3)])
    tck.answer(
        "runs/page_steps",
        [
            {
                "run_id": "run-1",
                "total": 2,
                "page": [{"step": 1, "nodes": 2}, {"step": 2, "nodes": 1}],
            }
        ],
    )
    tck.answer(
        "runs/page_run_nodes", [{"run_id": "run-1", "total": 7, "page": [node("n1", step=1)]}]
    )
    data = await tck.data(
        """query($id: String!) { run(id: $id) { runId nodeCount
             steps(first: 1) { totalCount edges { node { step nodes } } pageInfo { hasNextPage } }
             nodes(kinds: [TOOL_CALL, DECISION, DECISION], step: 1, first: 10) {
               totalCount edges { node { nodeId } } } } }""",
        {"id": "run-1"},
    )
    assert data["run"]["nodes"] == {"totalCount": 7, "edges": [{"node": {"nodeId": "n1"}}]}
    assert data["run"]["steps"] == {
        "totalCount": 2,
        "edges": [{"node": {"step": 1, "nodes": 2}}],
        "pageInfo": {"hasNextPage": True},
    }
    assert tck.sent() == [
        ("runs/get_runs", {"tenant": TENANT, "ids": ["run-1"]}),
        ("runs/page_steps", {"tenant": TENANT, "ids": ["run-1"], "after_step": -1, "limit": 2}),
        (
            "runs/page_run_nodes",
            {
                "tenant": TENANT,
                "ids": ["run-1"],
                "step": 1,
                # Kinds deduplicated and sorted: equal filters share one loader.
                "kinds": ["decision", "tool_call"],
                "after_step": -1,
                "after_id": "",
                "limit": 11,
            },
        ),
    ]


async def test_run_nodes_after_a_cursor(tck: Tck) -> None:
    tck.answer("runs/get_runs", [run("run-1")])
    await tck.data(
        'query($after: String) { run(id: "run-1") { nodes(after: $after) { edges { cursor } } '
        'steps(after: "' + encode_cursor([4]) + '") { totalCount } } }',
        {"after": encode_cursor([3, "n7"])},
    )
    params = {c.name: c.params for c in tck.calls}
    assert params["runs/page_run_nodes"]["step"] == -1
    assert params["runs/page_run_nodes"]["kinds"] == []
    assert (
        params["runs/page_run_nodes"]["after_step"],
        params["runs/page_run_nodes"]["after_id"],
    ) == (3, "n7")
    assert params["runs/page_steps"]["after_step"] == 4


async def test_runs_of_many_nodes_are_loaded_once(tck: Tck) -> None:
    tck.answer("runs/get_nodes", _nodes_of)
    tck.answer("runs/get_runs", [run("run-1")])
    await tck.data(
        '{ a: runNode(id: "n1") { run { runId } } b: runNode(id: "n2") { run { runId } } }'
    )
    assert tck.sent() == [
        ("runs/get_nodes", {"tenant": TENANT, "ids": ["n1", "n2"]}),
        ("runs/get_runs", {"tenant": TENANT, "ids": ["run-1"]}),
    ]


async def test_run_missing_is_null(tck: Tck) -> None:
    assert await tck.data('{ run(id: "nope") { id } }') == {"run": None}
    assert tck.names() == ["runs/get_runs"]


# --- runSubgraph -------------------------------------------------------------------------------


def _list_params(run_id: str = "run-1", **changes: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "tenant": TENANT,
        "run_id": run_id,
        "step": -1,
        "kinds": [],
        "after_step": -1,
        "after_id": "",
        "limit": 5001,
    }
    params.update(changes)
    return params


@covers("Query.runSubgraph")
async def test_run_subgraph_of_a_whole_run(tck: Tck) -> None:
    tck.answer("runs/get_runs", [run("run-1")])
    tck.answer("runs/list_run_nodes", [node("n1"), node("n2")])
    tck.answer("runs/run_edges", [{"effect": "n2", "type": "WAS_INFLUENCED_BY", "cause": "n1"}])
    data = await tck.data(
        "query($id: String!) { runSubgraph(runId: $id) { step truncated "
        "nodes { nodeId } edges { kind source target } } }",
        {"id": "run-1"},
    )
    assert data["runSubgraph"] == {
        "step": None,
        "truncated": False,
        "nodes": [{"nodeId": "n1"}, {"nodeId": "n2"}],
        "edges": [{"kind": "INFLUENCED", "source": "n1", "target": "n2"}],
    }
    assert tck.sent() == [
        ("runs/get_runs", {"tenant": TENANT, "ids": ["run-1"]}),
        # max_result_nodes + 1 nodes, four times as many edges + 1: one more tells it was cut.
        ("runs/list_run_nodes", _list_params()),
        (
            "runs/run_edges",
            {"tenant": TENANT, "run_id": "run-1", "types": RUN_TYPES, "limit": 20001},
        ),
    ]


async def test_run_subgraph_of_one_step_fetches_the_other_ends(tck: Tck) -> None:
    tck.answer("runs/get_runs", [run("run-1")])
    tck.answer("runs/list_run_nodes", [node("n2", step=2)])
    tck.answer("runs/step_edges", [{"effect": "n2", "type": "WAS_INFLUENCED_BY", "cause": "n1"}])
    tck.answer("runs/get_nodes", _nodes_of)
    data = await tck.data('{ runSubgraph(runId: "run-1", step: 2) { nodes { nodeId } } }')
    assert data["runSubgraph"]["nodes"] == [{"nodeId": "n2"}, {"nodeId": "n1"}]
    assert tck.sent() == [
        ("runs/get_runs", {"tenant": TENANT, "ids": ["run-1"]}),
        ("runs/list_run_nodes", _list_params(step=2)),
        (
            "runs/step_edges",
            {"tenant": TENANT, "run_id": "run-1", "step": 2, "types": RUN_TYPES, "limit": 20001},
        ),
        ("runs/get_nodes", {"tenant": TENANT, "ids": ["n1"]}),
    ]


async def test_run_subgraph_of_a_missing_run_stops_after_the_lookup(tck: Tck) -> None:
    assert await tck.error('{ runSubgraph(runId: "nope") { truncated } }') == "NOT_FOUND"
    assert tck.names() == ["runs/get_runs"]


# --- ancestors and descendants -----------------------------------------------------------------


def _endless(params: dict[str, Any]) -> list[Row]:
    """Every node has one more node behind it."""
    return [reached(i, "WAS_INFLUENCED_BY", i + "+") for i in params["ids"]]


@covers("Query.ancestors")
async def test_ancestors_expand_causes_level_by_level(tck: Tck) -> None:
    tck.answer(
        "runs/expand_causes",
        in_turn([reached("n2", "WAS_INFLUENCED_BY", "n1", kind="observation")]),
    )
    data = await tck.data(
        "query($id: String!) { ancestors(nodeId: $id) { originId depth requestedDepth "
        "depthClamped truncated nodes { distance node { nodeId kind } } "
        "edges { kind source target } } }",
        {"id": "n2"},
    )
    assert data["ancestors"] == {
        "originId": "n2",
        "depth": 3,
        "requestedDepth": 3,
        "depthClamped": False,
        "truncated": False,
        "nodes": [{"distance": 1, "node": {"nodeId": "n1", "kind": "OBSERVATION"}}],
        "edges": [{"kind": "INFLUENCED", "source": "n1", "target": "n2"}],
    }
    assert tck.sent() == [
        ("runs/expand_causes", {"tenant": TENANT, "ids": ["n2"], "types": CAUSAL}),
        ("runs/expand_causes", {"tenant": TENANT, "ids": ["n1"], "types": CAUSAL}),
    ]
    assert tck.transactions() == [("runs/traverse", False, ["runs/expand_causes"] * 2)]


async def test_ancestors_selecting_text_reads_it_with_the_levels(tck: Tck) -> None:
    """`text` (and no other content) under nodes: the level queries bring it; no node fetch.
    The probe beyond the depth needs ids only: the plain level query."""
    tck.answer(
        "runs/expand_causes_text",
        in_turn([reached("n2", "WAS_INFLUENCED_BY", "n1", text="why")]),
    )
    data = await tck.data(
        '{ ancestors(nodeId: "n2", depth: 1) { nodes { distance node { nodeId kind step text } '
        "} depthLimited } }"
    )
    assert data["ancestors"]["nodes"] == [
        {"distance": 1, "node": {"nodeId": "n1", "kind": "DECISION", "step": 1, "text": "why"}}
    ]
    assert tck.sent() == [
        ("runs/expand_causes_text", {"tenant": TENANT, "ids": ["n2"], "types": CAUSAL}),
        ("runs/expand_causes", {"tenant": TENANT, "ids": ["n1"], "types": CAUSAL}),
    ]


@pytest.mark.parametrize("field", ["ancestors", "descendants"])
async def test_traversal_selecting_other_content_reads_all_of_it_with_the_levels(
    tck: Tck, field: str
) -> None:
    """Any content field but `text` (here through a fragment): the content level query."""
    direction = "causes" if field == "ancestors" else "effects"
    tck.answer(
        f"runs/expand_{direction}_content",
        in_turn([reached("n2", "WAS_INFLUENCED_BY", "n1", **{**node("n1"), "tokens": 7})]),
    )
    data = await tck.data(
        f'{{ {field}(nodeId: "n2", depth: 1) {{ nodes {{ node {{ ...N }} }} depthLimited }} }} '
        "fragment N on RunNode { nodeId tokens text }"
    )
    assert data[field]["nodes"][0]["node"]["tokens"] == 7
    assert tck.names() == [f"runs/expand_{direction}_content", f"runs/expand_{direction}"]


async def test_ancestors_as_of_selecting_text_fetches_the_nodes_after(tck: Tck) -> None:
    tck.answer("runs/expand_causes_as_of", in_turn([reached("n2", "WAS_INFLUENCED_BY", "n1")]))
    tck.answer("runs/find_nodes", _exists_of)
    tck.answer("runs/get_nodes", _nodes_of)
    await tck.data(
        '{ ancestors(nodeId: "n2", depth: 1, asOf: "2030-01-01T00:00:00Z") '
        "{ nodes { node { text } } depthLimited } }"
    )
    assert tck.names() == [
        "runs/expand_causes_as_of",
        "runs/expand_causes_as_of",
        "runs/find_nodes",
        "runs/get_nodes",
    ]


async def test_ancestors_depth_is_clamped_to_the_maximum(tck: Tck) -> None:
    tck.answer("runs/expand_causes", _endless)
    data = await tck.data(
        '{ ancestors(nodeId: "n", depth: 99) { depth requestedDepth depthClamped depthLimited '
        "truncated } }"
    )
    assert data["ancestors"] == {
        "depth": 10,
        "requestedDepth": 99,
        "depthClamped": True,
        "depthLimited": True,
        "truncated": False,
    }
    # Ten levels, and one more read to tell whether the depth cut the answer.
    assert tck.names() == ["runs/expand_causes"] * 11


async def test_ancestors_depth_defaults_to_3_and_says_it_was_cut(tck: Tck) -> None:
    tck.answer("runs/expand_causes", _endless)
    data = await tck.data(
        '{ ancestors(nodeId: "n") { depth requestedDepth depthLimited truncated } }'
    )
    assert data["ancestors"] == {
        "depth": 3,
        "requestedDepth": 3,
        "depthLimited": True,
        "truncated": False,
    }
    assert tck.names() == ["runs/expand_causes"] * 4


async def test_ancestors_edge_kinds_become_sorted_stored_types(tck: Tck) -> None:
    tck.answer("runs/expand_causes", _endless)
    await tck.data(
        '{ ancestors(nodeId: "n", depth: 2, edgeKinds: [TRIGGERED, INFLUENCED, TRIGGERED]) '
        "{ depth depthLimited } }"
    )
    assert [c.params["types"] for c in tck.calls] == [["WAS_INFLUENCED_BY", "WAS_TRIGGERED_BY"]] * 3


async def test_ancestors_node_kinds_filter_after_the_walk(tck: Tck) -> None:
    """Node kinds are no query parameter: every level is expanded, the kinds filter the answer
    (and stop the walk once enough of them are found). When none matches but the walk reached
    nodes, the origin exists: no existence check."""
    tck.answer("runs/expand_causes", _endless)
    tck.answer("runs/find_nodes", _exists_of)
    data = await tck.data(
        '{ ancestors(nodeId: "n", depth: 2, nodeKinds: [TOOL_CALL]) '
        "{ nodes { distance } depthLimited } }"
    )
    assert data["ancestors"]["nodes"] == []
    assert tck.sent() == [
        ("runs/expand_causes", {"tenant": TENANT, "ids": ["n"], "types": CAUSAL}),
        ("runs/expand_causes", {"tenant": TENANT, "ids": ["n+"], "types": CAUSAL}),
        ("runs/expand_causes", {"tenant": TENANT, "ids": ["n++"], "types": CAUSAL}),
    ]


async def test_ancestors_of_nothing_checks_that_the_node_exists(tck: Tck) -> None:
    assert await tck.error('{ ancestors(nodeId: "ghost") { depth } }') == "NOT_FOUND"
    assert tck.sent() == [
        ("runs/expand_causes", {"tenant": TENANT, "ids": ["ghost"], "types": CAUSAL}),
        ("runs/find_nodes", {"tenant": TENANT, "ids": ["ghost"]}),
    ]


@pytest.mark.parametrize("field", ["ancestors", "descendants"])
@pytest.mark.parametrize("depth", [0, -1])
async def test_traversal_depth_below_one_sends_nothing(tck: Tck, field: str, depth: int) -> None:
    body = await tck.post(
        f'query($d: Int) {{ {field}(nodeId: "n", depth: $d) {{ depth }} }}', {"d": depth}
    )
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "depth"}
    assert tck.calls == []


@covers("Query.descendants")
async def test_descendants_expand_effects(tck: Tck) -> None:
    tck.answer("runs/expand_effects", in_turn([reached("n1", "WAS_INFLUENCED_BY", "n2")]))
    data = await tck.data(
        '{ descendants(nodeId: "n1", depth: 1, edgeKinds: [INFLUENCED]) '
        "{ nodes { distance } edges { kind source target } depthLimited } }"
    )
    assert data["descendants"] == {
        "nodes": [{"distance": 1}],
        "edges": [{"kind": "INFLUENCED", "source": "n1", "target": "n2"}],
        "depthLimited": False,
    }
    assert tck.sent() == [
        ("runs/expand_effects", {"tenant": TENANT, "ids": ["n1"], "types": ["WAS_INFLUENCED_BY"]}),
        # The probe beyond the depth: is anything cut off?
        ("runs/expand_effects", {"tenant": TENANT, "ids": ["n2"], "types": ["WAS_INFLUENCED_BY"]}),
    ]


async def test_the_level_beyond_the_depth_is_read_only_for_depth_limited(tck: Tck) -> None:
    """`depthLimited` needs one more level read (the probe); an answer that does not select it
    is the same without that read, for traversals and lineage alike."""
    tck.answer("runs/expand_effects", in_turn([reached("n1", "WAS_INFLUENCED_BY", "n2")]))
    data = await tck.data(
        '{ descendants(nodeId: "n1", depth: 1) { nodes { distance } depth truncated } }'
    )
    assert data["descendants"] == {"nodes": [{"distance": 1}], "depth": 1, "truncated": False}
    assert tck.sent() == [
        ("runs/expand_effects", {"tenant": TENANT, "ids": ["n1"], "types": CAUSAL})
    ]
    tck.clear()
    tck.answer("runs/find_nodes", _exists_of)
    tck.answer("runs/expand_causes", in_turn([reached("b", "WAS_INFLUENCED_BY", "c")]))
    query = '{ lineage(fromId: "a", toId: "b", maxDepth: 1) { direction %s } }'
    await tck.data(query % "")
    assert tck.names() == ["runs/find_nodes", "runs/expand_causes", "runs/expand_causes"]
    tck.clear()
    tck.answer("runs/expand_causes", in_turn([reached("b", "WAS_INFLUENCED_BY", "c")]))
    data = await tck.data(query % "depthLimited")
    # Downstream: b's causes (c), then the probe beyond (c's causes); upstream: a's causes.
    assert tck.names() == ["runs/find_nodes"] + ["runs/expand_causes"] * 3
    assert data["lineage"] == {"direction": None, "depthLimited": False}


# --- lineage -----------------------------------------------------------------------------------


@covers("Query.lineage")
async def test_lineage_tries_downstream_then_upstream(tck: Tck) -> None:
    tck.answer("runs/find_nodes", _exists_of)
    data = await tck.data(
        '{ lineage(fromId: "a", toId: "b", maxDepth: 1) { direction paths { nodeIds } depth } }'
    )
    assert data["lineage"] == {"direction": None, "paths": [], "depth": 1}
    assert tck.sent() == [
        ("runs/find_nodes", {"tenant": TENANT, "ids": ["a", "b"]}),
        # Downstream: does a reach b's causes? The walk starts at b (stored effect -> cause).
        ("runs/expand_causes", {"tenant": TENANT, "ids": ["b"], "types": CAUSAL}),
        ("runs/expand_causes", {"tenant": TENANT, "ids": ["a"], "types": CAUSAL}),
    ]
    assert [label for label, _, _ in tck.transactions()] == [
        "runs/find_nodes",
        "runs/lineage",
        "runs/lineage",
    ]


async def test_lineage_found_downstream_does_not_look_upstream(tck: Tck) -> None:
    tck.answer("runs/find_nodes", _exists_of)
    tck.answer("runs/expand_causes", in_turn([reached("b", "WAS_INFLUENCED_BY", "a")]))
    data = await tck.data(
        '{ lineage(fromId: "a", toId: "b", maxDepth: 30, edgeKinds: [INFLUENCED]) '
        "{ direction depth requestedDepth depthClamped paths { nodeIds edges { kind } } } }"
    )
    assert data["lineage"] == {
        "direction": "downstream",
        "depth": 10,
        "requestedDepth": 30,
        "depthClamped": True,
        "paths": [{"nodeIds": ["a", "b"], "edges": [{"kind": "INFLUENCED"}]}],
    }
    assert tck.sent()[1:] == [
        ("runs/expand_causes", {"tenant": TENANT, "ids": ["b"], "types": ["WAS_INFLUENCED_BY"]}),
        ("runs/expand_causes", {"tenant": TENANT, "ids": ["a"], "types": ["WAS_INFLUENCED_BY"]}),
    ]


async def test_lineage_of_a_missing_node_walks_nothing(tck: Tck) -> None:
    tck.answer("runs/find_nodes", [_exists("a")])
    assert await tck.error('{ lineage(fromId: "a", toId: "b") { depth } }') == "NOT_FOUND"
    assert tck.names() == ["runs/find_nodes"]


async def test_lineage_max_depth_below_one_sends_nothing(tck: Tck) -> None:
    body = await tck.post('{ lineage(fromId: "a", toId: "b", maxDepth: 0) { depth } }')
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "maxDepth"}
    assert tck.calls == []


# --- runDiff and verifyRun ---------------------------------------------------------------------


@covers("Query.runDiff")
async def test_run_diff_reads_both_runs_nodes(tck: Tck) -> None:
    tck.answer("runs/get_runs", [run("r1"), run("r2")])
    tck.answer("runs/list_run_nodes", lambda p: [node(f"{p['run_id']}-n", run_id=p["run_id"])])
    data = await tck.data(
        '{ runDiff(runId: "r1", otherRunId: "r2") { identical stepsCompared firstDivergentStep } }'
    )
    assert data["runDiff"]["stepsCompared"] == 1
    assert tck.sent() == [
        ("runs/get_runs", {"tenant": TENANT, "ids": ["r1", "r2"]}),
        ("runs/list_run_nodes", _list_params("r1", limit=50001)),
        ("runs/list_run_nodes", _list_params("r2", limit=50001)),
    ]


async def test_run_diff_with_a_missing_run_reads_no_nodes(tck: Tck) -> None:
    tck.answer("runs/get_runs", [run("r1")])
    assert (
        await tck.error('{ runDiff(runId: "r1", otherRunId: "r2") { identical } }') == "NOT_FOUND"
    )
    assert tck.names() == ["runs/get_runs"]


@covers("Query.verifyRun")
async def test_verify_run(tck: Tck) -> None:
    tck.answer("runs/get_runs", [run("run-1")])
    data = await tck.data(
        '{ verifyRun(runId: "run-1") { ok nodesChecked edgesChecked rootDigestMatches } }'
    )
    # No digest stored vs a recomputed one: not ok, with no node to blame.
    assert data["verifyRun"] == {
        "ok": False,
        "nodesChecked": 0,
        "edgesChecked": 0,
        "rootDigestMatches": False,
    }
    assert tck.sent() == [
        ("runs/get_runs", {"tenant": TENANT, "ids": ["run-1"]}),
        ("runs/list_run_nodes", _list_params(limit=10000)),
        ("runs/run_out_edges", {"tenant": TENANT, "run_id": "run-1", "types": RUN_TYPES}),
    ]


async def test_verify_run_of_a_missing_run_stops_after_the_lookup(tck: Tck) -> None:
    assert await tck.error('{ verifyRun(runId: "nope") { ok } }') == "NOT_FOUND"
    assert tck.names() == ["runs/get_runs"]
