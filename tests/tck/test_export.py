"""Exports: what provDocument sends (through the runs and tracker services' own queries)."""

from __future__ import annotations

import json
from typing import Any
from unittest.mock import ANY

from tests.tck.harness import TENANT, Tck, covers
from tests.tck.recording import Row
from tests.tck.rows import AGENT_ML, agent, node, run

RUN_TYPES = [
    "CONSUMED",
    "SUPERSEDES",
    "WAS_DERIVED_FROM",
    "WAS_INFLUENCED_BY",
    "WAS_PRODUCED_BY",
    "WAS_TRIGGERED_BY",
]


def _out_edges(params: dict[str, Any]) -> list[Row]:
    """n2 is the only node with an out-edge: n2 -consumed-> n1 (stored n2 -> n1)."""
    rows: list[Row] = []
    for key in params["keys"]:
        page = []
        if key["id"] == "n2":
            page = [{"rank": 3, "type": "CONSUMED", "source": "n2", "target": "n1"}]
        rows.append({"node_id": key["id"], "outgoing": True, "total": len(page), "page": page})
    return rows


@covers("Query.provDocument")
async def test_prov_document_of_a_run(tck: Tck) -> None:
    tck.answer("runs/get_runs", [run("run-1", agent_id=AGENT_ML)])
    tck.answer("runs/list_run_nodes", [node("n1", kind="memory_fact"), node("n2")])
    tck.answer("runs/page_node_edges", _out_edges)
    tck.answer("tracker/get_agents", [agent(AGENT_ML, "ml")])
    data = await tck.data(
        '{ provDocument(runId: "run-1") { format document runIds elementCount } }'
    )
    answer = data["provDocument"]
    assert answer["format"] == "PROV_JSON"
    assert answer["runIds"] == ["run-1"]
    assert answer["elementCount"] == 4  # the run, two nodes, one edge
    document = json.loads(answer["document"])
    assert sorted(document["entity"]) == ["id:n1", "id:n2"]
    assert list(document["activity"]) == ["id:run-1"]
    assert list(document["wasDerivedFrom"]) == ["edge:n2%7Cconsumed%7Cn1"]
    assert sorted(tck.names()) == sorted(
        [
            "runs/get_runs",
            "runs/list_run_nodes",
            "runs/run_edges",
            "runs/page_node_edges",
            "tracker/get_agents",
        ]
    )
    sent = dict(tck.sent())
    assert sent["runs/page_node_edges"] == {
        "tenant": TENANT,
        "keys": [{"id": "n1", "outgoing": True}, {"id": "n2", "outgoing": True}],
        "types": ANY,
        "ranks": ANY,
        "reversed": ANY,
        "after_rank": -1,
        "after_source": "",
        "after_target": "",
        "limit": 10_001,
    }
    assert sent["tracker/get_agents"] == {"tenant": TENANT, "ids": [AGENT_ML]}
    assert not tck.unscoped()


async def test_prov_document_of_a_session_lists_its_runs_first(tck: Tck) -> None:
    tck.answer("runs/list_runs", [run("run-1", session_id="s1")])
    tck.answer("runs/get_runs", [run("run-1", session_id="s1")])
    data = await tck.data('{ provDocument(sessionId: "s1", format: PROV_N) { document runIds } }')
    assert data["provDocument"]["runIds"] == ["run-1"]
    assert data["provDocument"]["document"].startswith("document\n")
    assert tck.sent()[0] == (
        "runs/list_runs",
        {"tenant": TENANT, "session_id": "s1", "after": "", "limit": 1001},
    )


async def test_prov_document_needs_exactly_one_scope(tck: Tck) -> None:
    assert await tck.error("{ provDocument { document } }") == "BAD_USER_INPUT"
    body = await tck.post('{ provDocument(runId: "r", nodeId: "n") { document } }')
    assert body["errors"][0]["extensions"]["field"] == "nodeId"
    assert tck.calls == []


async def test_prov_document_of_a_missing_run_is_not_found(tck: Tck) -> None:
    assert await tck.error('{ provDocument(runId: "nope", format: PROV_O) { document } }') == (
        "NOT_FOUND"
    )
    assert tck.names() == ["runs/get_runs"]


@covers("Query.otlpDocument")
async def test_otlp_document_of_a_run(tck: Tck) -> None:
    tck.answer("runs/get_runs", [run("run-1", agent_id=AGENT_ML)])
    tck.answer("runs/list_run_nodes", [node("n1", kind="memory_fact"), node("n2")])
    tck.answer("runs/page_node_edges", _out_edges)
    tck.answer("tracker/get_agents", [agent(AGENT_ML, "ml")])
    data = await tck.data(
        '{ otlpDocument(runId: "run-1") { document runIds elementCount spanCount } }'
    )
    answer = data["otlpDocument"]
    assert answer["runIds"] == ["run-1"]
    assert answer["elementCount"] == 4 and answer["spanCount"] == 3  # run span + two nodes
    [resource] = json.loads(answer["document"])["resourceSpans"]
    [scope] = resource["scopeSpans"]
    names = sorted(s["name"] for s in scope["spans"])
    assert any(n.startswith("invoke_agent") for n in names) and "memory_fact" in names
    assert sorted(tck.names()) == sorted(
        [
            "runs/get_runs",
            "runs/list_run_nodes",
            "runs/run_edges",
            "runs/page_node_edges",
            "tracker/get_agents",
        ]
    )
    assert all(params["tenant"] == TENANT for _, params in tck.sent())
    assert not tck.unscoped()


async def test_otlp_document_needs_exactly_one_scope(tck: Tck) -> None:
    body = await tck.post('{ otlpDocument(runId: "r", sessionId: "s") { document } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert tck.calls == []
