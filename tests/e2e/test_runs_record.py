from __future__ import annotations

from typing import Any

import httpx

from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import record, sample_run


async def test_record_a_run_then_resend_changes_nothing(client: httpx.AsyncClient) -> None:
    body = await record(client, sample_run())
    assert "errors" not in body, body
    out = body["data"]["recordRun"]
    assert out["nodesCreated"] == 8 and out["edgesCreated"] == 7 and out["changed"] is True
    assert out["run"]["nodeCount"] == 8 and out["run"]["edgeCount"] == 7
    again = (await record(client, sample_run()))["data"]["recordRun"]
    assert again["changed"] is False
    assert again["nodesUnchanged"] == 8 and again["nodesCreated"] == 0
    assert again["edgesUnchanged"] == 7 and again["edgesCreated"] == 0
    assert again["run"]["rootDigest"] == out["run"]["rootDigest"]


async def _nodes_in(client: httpx.AsyncClient, run_id: str) -> int:
    body = await gql(client, "query($id: String!) { run(id: $id) { nodeCount } }", {"id": run_id})
    run = body["data"]["run"]
    return 0 if run is None else int(run["nodeCount"])


def _bad(body: dict[str, Any]) -> dict[str, Any]:
    assert error_codes(body) == ["BAD_USER_INPUT"], body
    ext: dict[str, Any] = body["errors"][0]["extensions"]
    return ext


async def test_unknown_kind_is_refused_by_graphql(client: httpx.AsyncClient) -> None:
    batch = sample_run()
    batch["nodes"][3]["kind"] = "SPELL"
    body = await record(client, batch)
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "SPELL" in body["errors"][0]["message"]
    assert await _nodes_in(client, "run-1") == 0


async def test_non_run_edge_kind_names_the_edge(client: httpx.AsyncClient) -> None:
    batch = sample_run()
    batch["edges"][2]["kind"] = "BLOCKED_BY"
    ext = _bad(await record(client, batch))
    assert ext["item"] == "edge" and ext["index"] == 2
    assert await _nodes_in(client, "run-1") == 0


async def test_edge_to_an_unknown_node_names_it(client: httpx.AsyncClient) -> None:
    batch = sample_run()
    batch["edges"].append({"kind": "INFLUENCED", "source": "nowhere", "target": "run-1:d2"})
    body = await record(client, batch)
    ext = _bad(body)
    assert ext["item"] == "edge" and ext["index"] == 7 and "nowhere" in ext["id"]
    assert "neither in the batch nor in the graph" in body["errors"][0]["message"]
    assert await _nodes_in(client, "run-1") == 0


async def test_cycle_within_the_batch_is_refused(client: httpx.AsyncClient) -> None:
    batch = sample_run()
    batch["edges"].append({"kind": "INFLUENCED", "source": "run-1:out", "target": "run-1:in"})
    body = await record(client, batch)
    ext = _bad(body)
    assert ext["item"] == "edge" and "cycle" in body["errors"][0]["message"]
    assert await _nodes_in(client, "run-1") == 0


async def test_cycle_through_stored_edges_is_refused_and_rolled_back(
    client: httpx.AsyncClient,
) -> None:
    assert "errors" not in await record(client, sample_run())
    later = {
        "run": {"id": "run-1"},
        "nodes": [{"id": "run-1:extra", "kind": "OBSERVATION", "step": 3, "text": "new"}],
        "edges": [
            {"kind": "INFLUENCED", "source": "run-1:out", "target": "run-1:extra"},
            # in (a cause of everything) influenced by out: closes in -> ... -> out -> in
            {"kind": "INFLUENCED", "source": "run-1:out", "target": "run-1:in"},
        ],
    }
    body = await record(client, later)
    ext = _bad(body)
    assert ext["index"] == 1 and ext["item"] == "edge"
    assert "cycle" in body["errors"][0]["message"]
    assert await _nodes_in(client, "run-1") == 8  # the new node was rolled back too


async def test_reused_id_with_different_content_is_refused(client: httpx.AsyncClient) -> None:
    assert "errors" not in await record(client, sample_run())
    changed = sample_run()
    changed["nodes"][2]["text"] = "Something else"
    changed["nodes"].append({"id": "run-1:new", "kind": "OUTPUT", "step": 9, "text": "x"})
    ext = _bad(await record(client, changed))
    assert ext == {"code": "BAD_USER_INPUT", "item": "node", "index": 2, "id": "run-1:d1"}
    assert await _nodes_in(client, "run-1") == 8


async def test_malformed_json_and_oversized_text_name_the_node(client: httpx.AsyncClient) -> None:
    batch = sample_run()
    batch["nodes"][4]["json"] = '{"temp": '
    ext = _bad(await record(client, batch))
    assert ext["index"] == 4 and ext["id"] == "run-1:res"
    batch = sample_run()
    batch["nodes"][5]["text"] = "x" * 100_001
    ext = _bad(await record(client, batch))
    assert ext["index"] == 5 and ext["id"] == "run-1:obs"
    batch = sample_run()
    batch["nodes"][1]["createdAt"] = "yesterday"
    assert _bad(await record(client, batch)) == {
        "code": "BAD_USER_INPUT",
        "item": "node",
        "index": 1,
        "id": "run-1:mem",
    }
    batch = sample_run()
    batch["run"]["metadata"] = "{not json"
    assert _bad(await record(client, batch))["field"] == "run.metadata"
    assert await _nodes_in(client, "run-1") == 0


async def test_duplicate_id_in_batch_and_self_loop(client: httpx.AsyncClient) -> None:
    batch = sample_run()
    batch["nodes"].append(dict(batch["nodes"][0], text="other"))
    ext = _bad(await record(client, batch))
    assert ext["index"] == 8 and ext["id"] == "run-1:in"
    batch = sample_run()
    batch["edges"].append({"kind": "INFLUENCED", "source": "run-1:d1", "target": "run-1:d1"})
    assert _bad(await record(client, batch))["index"] == 7


async def test_too_many_nodes_is_refused(client: httpx.AsyncClient) -> None:
    batch = {
        "run": {"id": "big"},
        "nodes": [{"id": f"n{i}", "kind": "OBSERVATION", "step": 0} for i in range(20_001)],
    }
    body = await record(client, batch)
    assert _bad(body)["field"] == "nodes"
    assert await _nodes_in(client, "big") == 0


async def test_append_step_by_step_during_a_live_run(client: httpx.AsyncClient) -> None:
    full = sample_run("live")
    by_step: dict[int, list[dict[str, Any]]] = {}
    for n in full["nodes"]:
        by_step.setdefault(n["step"], []).append(n)
    ids_so_far: set[str] = set()
    for step in sorted(by_step):
        ids_so_far |= {n["id"] for n in by_step[step]}
        edges = [
            e
            for e in full["edges"]
            if {e["source"], e["target"]} <= ids_so_far
            and ({e["source"], e["target"]} & {n["id"] for n in by_step[step]})
        ]
        status = "SUCCEEDED" if step == max(by_step) else "RUNNING"
        body = await record(
            client,
            {"run": {"id": "live", "status": status}, "nodes": by_step[step], "edges": edges},
        )
        assert "errors" not in body, body
    whole = (await record(client, sample_run("live")))["data"]["recordRun"]
    assert whole["nodesUnchanged"] == 8 and whole["edgesUnchanged"] == 7
    assert whole["run"]["status"] == "SUCCEEDED"
    verified = await gql(client, '{ verifyRun(runId: "live") { ok nodesChecked } }')
    assert verified["data"]["verifyRun"] == {"ok": True, "nodesChecked": 8}


async def test_a_run_without_nodes_is_recorded(client: httpx.AsyncClient) -> None:
    body = await record(client, {"run": {"id": "r-empty"}})
    assert body["data"]["recordRun"]["run"]["nodeCount"] == 0


async def test_a_run_keeps_its_session_and_a_bad_session_id_writes_nothing(
    client: httpx.AsyncClient,
) -> None:
    batch = sample_run()
    batch["run"]["sessionId"] = "conversation-42"
    assert "errors" not in await record(client, batch)
    query = "query($id: String!) { run(id: $id) { sessionId } }"
    body = await gql(client, query, {"id": "run-1"})
    assert body["data"]["run"] == {"sessionId": "conversation-42"}
    # A later slice without a session keeps it; one with whitespace in it is refused whole.
    later = sample_run()
    assert "errors" not in await record(client, later)
    assert (await gql(client, query, {"id": "run-1"}))["data"]["run"]["sessionId"] == (
        "conversation-42"
    )
    other = sample_run()
    other["run"]["id"] = "run-2"
    other["run"]["sessionId"] = "has space"
    for node in other["nodes"]:
        node["id"] = node["id"].replace("run-1", "run-2")
    other["edges"] = []
    ext = _bad(await record(client, other))
    assert ext["field"] == "run.sessionId"
    assert await _nodes_in(client, "run-2") == 0


RECORD_RUNS = """mutation($input: [RecordRunInput!]!) {
  recordRuns(input: $input) { run { runId nodeCount } nodesCreated edgesCreated changed }
}"""


async def test_record_runs_writes_several_runs_and_a_replay_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    batches = [sample_run("bulk-a"), sample_run("bulk-b")]
    body = await gql(client, RECORD_RUNS, {"input": batches})
    assert "errors" not in body, body
    assert [
        (p["run"]["runId"], p["nodesCreated"], p["changed"]) for p in body["data"]["recordRuns"]
    ] == [
        ("bulk-a", 8, True),
        ("bulk-b", 8, True),
    ]
    again = await gql(client, RECORD_RUNS, {"input": batches})
    assert [p["changed"] for p in again["data"]["recordRuns"]] == [False, False]


RUN_STATE = """query($id: String!) {
  run(id: $id) { nodeCount edgeCount rootDigest toolNames agent { __typename } status metadata }
  verifyRun(runId: $id) { ok }
}"""


async def test_runs_written_together_are_stored_as_each_alone(client: httpx.AsyncClient) -> None:
    """Independent fresh batches of one recordRuns go in one statement: each run's counters,
    aggregates, agent link and digest come out as a recordRun of it alone stores them."""
    made = await gql(
        client,
        'mutation { createSoftwareAgent(input: {namespace: "grp", name: "bot"}) { nativeId } }',
    )
    agent = made["data"]["createSoftwareAgent"]["nativeId"]
    together = [sample_run(f"grp-{x}") for x in "abc"]
    together[1]["run"]["agentId"] = agent
    together[2]["edges"] = []  # a run without edges beside runs with them
    alone = [sample_run(f"one-{x}") for x in "abc"]
    alone[1]["run"]["agentId"] = agent
    alone[2]["edges"] = []
    body = await gql(client, RECORD_RUNS, {"input": together})
    assert "errors" not in body, body
    for batch in alone:
        assert "errors" not in await record(client, batch)
    for x in "abc":
        grouped = (await gql(client, RUN_STATE, {"id": f"grp-{x}"}))["data"]
        single = (await gql(client, RUN_STATE, {"id": f"one-{x}"}))["data"]
        assert grouped["verifyRun"]["ok"] is True, x
        # Ids differ (grp-/one-), so digests do; everything else is equal.
        assert grouped["run"]["rootDigest"] != single["run"]["rootDigest"]
        del grouped["run"]["rootDigest"], single["run"]["rootDigest"]
        assert grouped == single, x
    b = (await gql(client, RUN_STATE, {"id": "grp-b"}))["data"]["run"]
    assert b["agent"] is not None and b["edgeCount"] > 0
    c = (await gql(client, RUN_STATE, {"id": "grp-c"}))["data"]["run"]
    assert (c["agent"], c["edgeCount"], c["nodeCount"]) == (None, 0, 8)


async def test_a_later_slice_of_a_run_in_the_same_request_sees_the_earlier_one(
    client: httpx.AsyncClient,
) -> None:
    """Two fresh runs are written together; a second slice of the first, later in the same
    request, is looked up after them: its run's counters and digest add up."""
    first, other = sample_run("seq-a"), sample_run("seq-b")
    more = {
        "run": {"id": "seq-a", "status": "SUCCEEDED"},
        "nodes": [{"id": "seq-a:late", "kind": "OBSERVATION", "step": 3, "text": "later"}],
        "edges": [{"kind": "INFLUENCED", "source": "seq-a:in", "target": "seq-a:late"}],
    }
    body = await gql(client, RECORD_RUNS, {"input": [first, other, more]})
    assert "errors" not in body, body
    assert [p["nodesCreated"] for p in body["data"]["recordRuns"]] == [8, 8, 1]
    a = (await gql(client, RUN_STATE, {"id": "seq-a"}))["data"]
    b = (await gql(client, RUN_STATE, {"id": "seq-b"}))["data"]
    assert a["verifyRun"]["ok"] is True and b["verifyRun"]["ok"] is True
    assert a["run"]["nodeCount"] == 9 and a["run"]["edgeCount"] == b["run"]["edgeCount"] + 1


async def test_record_runs_is_all_or_nothing(client: httpx.AsyncClient) -> None:
    """The second batch reuses a node id of the first with other content: the engine refuses
    it after the first batch was written in the same transaction, and neither is kept."""
    first = sample_run("bulk-c")
    second = sample_run("bulk-d")
    second["nodes"].append({**first["nodes"][0], "text": "other content"})
    body = await gql(client, RECORD_RUNS, {"input": [first, second]})
    ext = _bad(body)
    assert ext["batch"] == 1
    assert body["errors"][0]["message"].startswith("input[1]: nodes[8]: id 'bulk-c:in'")
    assert await _nodes_in(client, "bulk-c") == 0
    assert await _nodes_in(client, "bulk-d") == 0
