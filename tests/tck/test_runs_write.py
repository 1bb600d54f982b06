"""recordRun and pruneRuns: what each sends, in which transactions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest.mock import ANY

import pytest

from provgraph.core.domain.errors import Conflict
from provgraph.runs.rules import NodeSpec, RunNodeKind, content_hash
from tests.tck.harness import TENANT, Tck, covers
from tests.tck.rows import T0, run

RECORD = """mutation($input: RecordRunInput!) { recordRun(input: $input) {
  run { runId } nodesCreated nodesUnchanged edgesCreated edgesUnchanged changed } }"""

NO_NODES: dict[str, list[Any]] = {
    k: []
    for k in (
        "decision",
        "tool_call",
        "tool_result",
        "memory_fact",
        "observation",
        "input",
        "output",
    )
}
NO_EDGES: dict[str, list[Any]] = {
    k: [] for k in ("influenced", "triggered", "produced", "consumed", "supersedes", "derived_from")
}


# Two nodes of run-1, as a batch sends them.
TWO_NODES = [
    {"id": "n1", "kind": "OBSERVATION", "step": 1},
    {"id": "n2", "kind": "DECISION", "step": 1},
]


def _write(
    new_nodes: dict[str, list[Any]] | None = None,
    new_edges: dict[str, list[Any]] | None = None,
    **changes: Any,
) -> dict[str, Any]:
    """The parameters of ``runs/write_batch`` for one batch: one map of the runs' fields (here
    one run) and the new nodes and edges (one parameter: Neo4j plans per parameter types)."""
    run: dict[str, Any] = {
        "id": "run-1",
        "now": ANY,
        "agent_id": None,
        "status": None,
        "started_at": None,
        "ended_at": None,
        "metadata": None,
        "meta_kv": [],
        "session_id": None,
        "root_digest": ANY,
        "nodes": 0,
        "edges": 0,
        # What the new nodes add to the run's aggregates.
        "tool_names": [],
        "errors": 0,
        "tokens": 0,
        "cost": 0.0,
        "latency": 0,
    }
    run.update(changes)
    batch = {"runs": [run], **NO_NODES, **NO_EDGES, **(new_nodes or {}), **(new_edges or {})}
    return {"tenant": TENANT, "batch": batch}


def _written(nodes: int = 0, edges: int = 0, **run_fields: Any) -> list[dict[str, Any]]:
    """The row ``runs/write_batch`` answers: the run as stored and what was created."""
    return [{**run("run-1", **run_fields), "nodes_created": nodes, "edges_created": edges}]


def _stored(rows: list[dict[str, Any]]) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    """``runs/find_nodes`` answering the stored rows among the ids asked for."""
    return lambda params: [r for r in rows if r["id"] in params["ids"]]


def _taken(_params: dict[str, Any]) -> list[dict[str, Any]]:
    # What the executor makes of the driver's ConstraintError on the (tenant, id) key (the
    # recording executor stands in for the transaction that translates it).
    raise Conflict("constraint violated in 'runs/record'", query="runs/record")


def _props(kind: str, step: int, text: str) -> dict[str, Any]:
    """The stored properties of a new node (None-valued ones are not sent)."""
    return {
        "kind": kind,
        "run_id": "run-1",
        "step": step,
        "created_at": ANY,
        "text": text,
        "content_hash": ANY,
        "hash": ANY,
    }


@covers("Mutation.recordRun")
async def test_record_a_fresh_slice_in_one_transaction_without_the_lock(tck: Tck) -> None:
    """A slice whose edges all end at its own new nodes: its run and first node are looked up,
    then the run, nodes, edges and attribution are written in one statement."""
    tck.answer(
        "runs/write_batch",
        _written(2, 1, agent_id="ag-1", status="running", started_at=T0),
    )
    data = await tck.data(
        RECORD,
        {
            "input": {
                "run": {
                    "id": "run-1",
                    "agentId": "ag-1",
                    "status": "RUNNING",
                    "startedAt": "2023-11-14T22:13:20Z",
                },
                "nodes": [
                    {"id": "n1", "kind": "OBSERVATION", "step": 1, "text": "saw"},
                    {"id": "n2", "kind": "DECISION", "step": 1, "text": "chose"},
                ],
                "edges": [{"kind": "INFLUENCED", "source": "n1", "target": "n2"}],
            }
        },
    )
    assert data["recordRun"] == {
        "run": {"runId": "run-1"},
        "nodesCreated": 2,
        "nodesUnchanged": 0,
        "edgesCreated": 1,
        "edgesUnchanged": 0,
        "changed": True,
    }
    assert tck.sent() == [
        ("runs/find_nodes", {"tenant": TENANT, "ids": ["run-1", "n1"]}),
        (
            "runs/write_batch",
            _write(
                new_nodes={
                    "observation": [{"id": "n1", "props": _props("observation", 1, "saw")}],
                    "decision": [{"id": "n2", "props": _props("decision", 1, "chose")}],
                },
                # Stored effect -> cause; both ends new in this batch, so sealed.
                new_edges={
                    "influenced": [
                        {"effect": "n2", "cause": "n1", "sealed": True, "created_at": ANY}
                    ]
                },
                agent_id="ag-1",
                status="running",
                started_at=T0,
                nodes=2,
                edges=1,
            ),
        ),
    ]
    assert [(label, write) for label, write, _ in tck.transactions()] == [("runs/record", True)]


async def test_record_a_slice_meeting_a_taken_id_runs_again_looking_up_every_id(
    tck: Tck,
) -> None:
    """The optimistic write fails on the (tenant, id) constraint (n2 is another run's node):
    nothing is kept, and the second transaction looks every id up and reports the conflict."""
    tck.answer(
        "runs/find_nodes",
        _stored([{"id": "n2", "kind": "decision", "run_id": "run-9", "content_hash": "c"}]),
    )
    tck.answer("runs/write_batch", _taken)
    body = await tck.post(
        RECORD,
        {
            "input": {
                "run": {"id": "run-1"},
                "nodes": TWO_NODES,
            }
        },
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "'n2' is already used by a decision node of run 'run-9'" in error["message"]
    *optimistic, careful = tck.transactions()
    # (The tenant's first audited write is tried twice by the executor: a Conflict there may be
    # a race on the audit chain's head, see Executor.write_tx.)
    assert optimistic and all(
        t == ("runs/record", True, ["runs/find_nodes", "runs/write_batch"]) for t in optimistic
    )
    assert careful == ("runs/record", True, ["runs/find_nodes"])
    assert tck.sent()[-1] == ("runs/find_nodes", {"tenant": TENANT, "ids": ["run-1", "n1", "n2"]})


async def test_record_an_edge_into_the_stored_graph_locks_and_checks_for_cycles(tck: Tck) -> None:
    tck.answer("core/take_tenant_lock", [{"seq": 7}])
    tck.answer(
        "runs/find_nodes",
        [
            {"id": "run-1", "kind": "run", "run_id": None, "content_hash": None, "hash": None},
            {"id": "n0", "kind": "decision", "run_id": "run-1", "content_hash": "c", "hash": "h0"},
        ],
    )
    tck.answer("runs/get_runs", [run("run-1")])
    tck.answer("runs/write_batch", _written(1, 1))
    await tck.data(
        RECORD,
        {
            "input": {
                "run": {"id": "run-1"},
                "nodes": [{"id": "n1", "kind": "OBSERVATION", "step": 2, "text": "late"}],
                # n1 influenced n0: n0 (stored) is the effect, outside this batch.
                "edges": [{"kind": "INFLUENCED", "source": "n1", "target": "n0"}],
            }
        },
    )
    late = [{"effect": "n0", "type": "WAS_INFLUENCED_BY", "cause": "n1"}]
    assert tck.sent() == [
        ("core/ensure_tenant_lock", {"tenant": TENANT, "now": ANY}),
        ("core/take_tenant_lock", {"tenant": TENANT}),
        ("runs/find_nodes", {"tenant": TENANT, "ids": ["run-1", "n1", "n0"]}),
        ("runs/get_runs", {"tenant": TENANT, "ids": ["run-1"]}),
        ("runs/find_edges", {"tenant": TENANT, "rows": late}),
        (
            "runs/write_batch",
            _write(
                new_nodes={"observation": [{"id": "n1", "props": ANY}]},
                new_edges={
                    "influenced": [
                        {"effect": "n0", "cause": "n1", "sealed": False, "created_at": ANY}
                    ]
                },
                nodes=1,
                edges=1,
                root_digest=ANY,
            ),
        ),
        (
            "runs/find_cycles",
            {"tenant": TENANT, "rows": [{"index": 0, "effect": "n0", "cause": "n1"}]},
        ),
    ]
    assert [(label, write) for label, write, _ in tck.transactions()] == [
        ("core/ensure_tenant_lock", True),
        ("runs/record", True),
    ]


async def test_record_an_edge_closing_a_cycle_fails_after_the_check(tck: Tck) -> None:
    tck.answer("core/take_tenant_lock", [{"seq": 7}])
    tck.answer(
        "runs/find_nodes",
        [{"id": "n0", "kind": "decision", "run_id": "run-1", "content_hash": "c", "hash": "h0"}],
    )
    tck.answer("runs/write_batch", _written(1, 1))
    tck.answer("runs/find_cycles", [{"index": 0}])
    body = await tck.post(
        RECORD,
        {
            "input": {
                "run": {"id": "run-1"},
                "nodes": [{"id": "n1", "kind": "OBSERVATION", "step": 2}],
                "edges": [{"kind": "INFLUENCED", "source": "n1", "target": "n0"}],
            }
        },
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert tck.names()[-1] == "runs/find_cycles"  # raised in the transaction: rolled back


async def test_record_a_replay_is_one_transaction_without_the_lock(tck: Tck) -> None:
    """A batch whose nodes and edges are all stored (an exporter's retry) changes nothing, so it
    needs no lock: one transaction, no second attempt. Its first node turns out stored, so the
    others are looked up in the same transaction rather than written optimistically."""
    spec = NodeSpec(index=0, id="n1", kind=RunNodeKind.OBSERVATION, step=1)
    spec2 = NodeSpec(index=1, id="n2", kind=RunNodeKind.DECISION, step=1)
    stored = [
        {
            "id": s.id,
            "kind": s.kind.value,
            "run_id": "run-1",
            "content_hash": content_hash(s.content("run-1")),
            "hash": "h",
        }
        for s in (spec, spec2)
    ]
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer(
        "runs/find_nodes",
        _stored(
            [
                {"id": "run-1", "kind": "run", "run_id": None, "content_hash": None, "hash": None},
                *stored,
            ]
        ),
    )
    tck.answer("runs/get_runs", [run("run-1")])
    tck.answer("runs/find_edges", [{"effect": "n2", "type": "WAS_INFLUENCED_BY", "cause": "n1"}])
    data = await tck.data(
        RECORD,
        {
            "input": {
                "run": {"id": "run-1"},
                "nodes": TWO_NODES,
                "edges": [{"kind": "INFLUENCED", "source": "n1", "target": "n2"}],
            }
        },
    )
    assert data["recordRun"]["changed"] is False
    assert data["recordRun"]["nodesUnchanged"] == 2
    assert data["recordRun"]["edgesUnchanged"] == 1
    assert tck.transactions() == [
        (
            "runs/record",
            True,
            ["runs/find_nodes", "runs/find_nodes", "runs/get_runs", "runs/find_edges"],
        ),
    ]
    assert [c.params["ids"] for c in tck.calls[:2]] == [["run-1", "n1"], ["n2"]]


async def test_record_a_new_edge_from_a_stored_node_retries_holding_the_lock(tck: Tck) -> None:
    """An edge whose effect is stored and which is not stored yet could close a cycle with the
    stored graph: the transaction is abandoned before writing and run again holding the lock."""
    spec = NodeSpec(index=0, id="n1", kind=RunNodeKind.OBSERVATION, step=1)
    spec2 = NodeSpec(index=1, id="n2", kind=RunNodeKind.DECISION, step=1)
    stored = [
        {
            "id": s.id,
            "kind": s.kind.value,
            "run_id": "run-1",
            "content_hash": content_hash(s.content("run-1")),
            "hash": "h",
        }
        for s in (spec, spec2)
    ]
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer(
        "runs/find_nodes",
        _stored(
            [
                {"id": "run-1", "kind": "run", "run_id": None, "content_hash": None, "hash": None},
                *stored,
            ]
        ),
    )
    tck.answer("runs/get_runs", [run("run-1")])
    tck.answer("runs/write_batch", _written(0, 1, edge_count=1))
    await tck.data(
        RECORD,
        {
            "input": {
                "run": {"id": "run-1"},
                "nodes": TWO_NODES,
                "edges": [{"kind": "INFLUENCED", "source": "n1", "target": "n2"}],
            }
        },
    )
    assert [t[:2] for t in tck.transactions()][:3] == [
        ("runs/record", True),
        ("core/ensure_tenant_lock", True),
        ("runs/record", True),
    ]
    assert tck.transactions()[0][2] == [
        "runs/find_nodes",
        "runs/find_nodes",
        "runs/get_runs",
        "runs/find_edges",
    ]
    assert tck.transactions()[2][2][0] == "core/take_tenant_lock"


@pytest.mark.parametrize(
    "batch",
    [
        {"run": {"id": ""}},
        {"run": {"id": "r", "startedAt": "yesterday"}},
        {"run": {"id": "r", "metadata": "{not json"}},
        {"run": {"id": "r"}, "nodes": [{"id": "n", "kind": "DECISION", "step": -1}]},
        {
            "run": {"id": "r"},
            "nodes": [
                {"id": "n", "kind": "DECISION", "step": 1},
                {"id": "n", "kind": "OUTPUT", "step": 1},
            ],
        },
        {
            "run": {"id": "r"},
            "nodes": [{"id": "n", "kind": "DECISION", "step": 1, "createdAt": "x"}],
        },
        {"run": {"id": "r"}, "nodes": [{"id": "n", "kind": "DECISION", "step": 1, "json": "{"}]},
        {"run": {"id": "r"}, "edges": [{"kind": "BLOCKED_BY", "source": "a", "target": "b"}]},
        {"run": {"id": "r"}, "edges": [{"kind": "INFLUENCED", "source": "a", "target": "a"}]},
        {"run": {"id": "r"}, "nodes": [{"id": "r", "kind": "DECISION", "step": 1}]},
    ],
)
async def test_record_an_invalid_batch_sends_nothing(tck: Tck, batch: dict[str, Any]) -> None:
    body = await tck.post(RECORD, {"input": batch})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert tck.calls == []


async def test_record_a_node_already_used_by_another_run_writes_nothing(tck: Tck) -> None:
    tck.answer(
        "runs/find_nodes",
        [{"id": "n1", "kind": "decision", "run_id": "run-0", "content_hash": "c", "hash": "h"}],
    )
    code = await tck.error(
        RECORD,
        {"input": {"run": {"id": "run-1"}, "nodes": [{"id": "n1", "kind": "DECISION", "step": 1}]}},
    )
    assert code == "BAD_USER_INPUT"
    assert tck.names() == ["runs/find_nodes"]


PRUNE = """mutation($t: String!, $dry: Boolean!) {
  pruneRuns(olderThan: $t, dryRun: $dry) { cutoff dryRun runs runIds nodes edges } }"""


@covers("Mutation.pruneRuns")
async def test_prune_runs_dry_run_only_counts(tck: Tck) -> None:
    tck.answer("runs/find_runs_before", [{"id": "r1"}, {"id": "r2"}])
    tck.answer("runs/count_run_contents", [{"nodes": 5, "edges": 4}])
    data = await tck.data(PRUNE, {"t": "2023-11-14T22:13:20Z", "dry": True})
    assert data["pruneRuns"] == {
        "cutoff": "2023-11-14T22:13:20.000Z",
        "dryRun": True,
        "runs": 2,
        "runIds": ["r1", "r2"],
        "nodes": 5,
        "edges": 4,
    }
    assert tck.sent() == [
        ("runs/find_runs_before", {"tenant": TENANT, "cutoff": T0}),
        ("runs/count_run_contents", {"tenant": TENANT, "run_ids": ["r1", "r2"]}),
    ]


async def test_prune_runs_finds_counts_and_deletes_in_one_transaction(tck: Tck) -> None:
    """The report is exactly what was deleted: nothing recorded in between can slip in."""
    tck.answer("runs/find_runs_before", [{"id": "r1"}])
    tck.answer("runs/count_run_contents", [{"nodes": 1, "edges": 0}])
    await tck.data(PRUNE, {"t": "2023-11-14T23:13:20+01:00", "dry": False})
    assert tck.sent()[0] == ("runs/find_runs_before", {"tenant": TENANT, "cutoff": T0})
    assert tck.transactions() == [
        (
            "runs/prune",
            True,
            ["runs/find_runs_before", "runs/count_run_contents", "runs/delete_runs"],
        ),
    ]
    assert tck.calls[-1].params == {"tenant": TENANT, "run_ids": ["r1"]}


async def test_prune_runs_with_nothing_old_stops_after_the_search(tck: Tck) -> None:
    data = await tck.data(PRUNE, {"t": "2023-11-14T22:13:20Z", "dry": False})
    assert data["pruneRuns"]["runs"] == 0
    assert tck.names() == ["runs/find_runs_before"]


@pytest.mark.parametrize("when", ["yesterday", "2023-11-14T22:13:20", ""])
async def test_prune_runs_with_a_bad_cutoff_sends_nothing(tck: Tck, when: str) -> None:
    assert await tck.error(PRUNE, {"t": when, "dry": False}) == "BAD_USER_INPUT"
    assert tck.calls == []


RECORD_MANY = """mutation($input: [RecordRunInput!]!) { recordRuns(input: $input) {
  run { runId } nodesCreated edgesCreated changed } }"""


def _written_runs(p: dict[str, Any]) -> list[dict[str, Any]]:
    """``runs/write_batch``'s rows for one-node batches: a row per run, the totals on each."""
    runs = p["batch"]["runs"]
    made = {"nodes_created": len(runs), "edges_created": 0}
    return [{**run(r["id"]), **made} for r in runs]


def _one_node_run(run_id: str) -> dict[str, Any]:
    return {"run": {"id": run_id}, "nodes": [{"id": f"{run_id}:n", "kind": "INPUT", "step": 0}]}


@covers("Mutation.recordRuns")
async def test_record_runs_writes_every_batch_in_one_transaction(tck: Tck) -> None:
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer("runs/write_batch", _written_runs)
    data = await tck.data(RECORD_MANY, {"input": [_one_node_run("r1"), _one_node_run("r2")]})
    assert data["recordRuns"] == [
        {"run": {"runId": r}, "nodesCreated": 1, "edgesCreated": 0, "changed": True}
        for r in ("r1", "r2")
    ]
    assert tck.transactions()[-1] == (
        "runs/record_all",
        True,
        # One lookup for both batches (each run and its first node), then one write for both.
        ["core/take_tenant_lock", "runs/find_nodes", "runs/write_batch"],
    )
    assert [p["ids"] for n, p in tck.sent() if n == "runs/find_nodes"] == [
        ["r1", "r1:n", "r2", "r2:n"],
    ]
    [written] = [p["batch"] for n, p in tck.sent() if n == "runs/write_batch"]
    assert [r["id"] for r in written["runs"]] == ["r1", "r2"]
    assert [n["id"] for n in written["input"]] == ["r1:n", "r2:n"]


async def test_record_runs_looks_up_after_an_earlier_batch_writes_what_it_names(tck: Tck) -> None:
    """A second slice of the same run must see the first one's write (its digest and
    counters): it looks up on its own, after it."""
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer("runs/write_batch", _written_runs)
    second = {"run": {"id": "r1"}, "nodes": [{"id": "r1:m", "kind": "OUTPUT", "step": 1}]}
    await tck.data(RECORD_MANY, {"input": [_one_node_run("r1"), second]})
    assert [p["ids"] for n, p in tck.sent() if n == "runs/find_nodes"] == [
        ["r1", "r1:n"],
        ["r1", "r1:m"],
    ]


async def test_record_runs_names_the_batch_of_a_problem_and_sends_nothing(tck: Tck) -> None:
    bad = {"run": {"id": "r2"}, "nodes": [{"id": "r2", "kind": "INPUT", "step": 0}]}
    body = await tck.post(RECORD_MANY, {"input": [_one_node_run("r1"), bad]})
    [error] = body["errors"]
    assert error["message"] == "input[1]: node 'r2' has the run's own id"
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["batch"] == 1
    assert error["extensions"]["index"] == 0
    assert tck.calls == []


async def test_record_runs_is_bounded_like_one_batch(tck: Tck) -> None:
    many = [_one_node_run(f"r{i}") for i in range(1_001)]
    body = await tck.post(RECORD_MANY, {"input": many})
    assert body["errors"][0]["message"] == "at most 1000 batches per request"
    assert tck.calls == []
