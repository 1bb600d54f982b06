"""Property-based ingest: any batch is either recorded exactly as sent (and a re-send changes
nothing) or refused with BAD_USER_INPUT naming the item, with nothing written."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provgraph.core.domain.vocabulary import EdgeKind
from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import RECORD

NODE_KINDS = ["DECISION", "TOOL_CALL", "TOOL_RESULT", "MEMORY_FACT", "OBSERVATION", "INPUT"]
EDGE_KINDS = ["INFLUENCED", "TRIGGERED", "PRODUCED", "CONSUMED"]
# Any text a JSON client can send: every code point but lone surrogates, NUL included.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
JSON = st.one_of(st.none(), st.just('{"a": [1, 2.5, null]}'), st.just('{"broken": '))


@st.composite
def batches(draw: st.DrawFn) -> dict[str, Any]:
    size = draw(st.integers(1, 7))
    ids = [f"n{i}" for i in range(size)]
    if size > 1 and draw(st.integers(0, 9)) == 0:
        ids[-1] = ids[0]  # a duplicate id
    nodes = [
        {
            "id": node_id,
            "kind": draw(st.sampled_from(NODE_KINDS)),
            "step": draw(st.integers(0, 4)),
            "text": draw(TEXT),
            "json": draw(JSON),
        }
        for node_id in ids
    ]
    ends = st.sampled_from([*ids, "ghost"])
    edges = [
        {"kind": draw(st.sampled_from(EDGE_KINDS)), "source": draw(ends), "target": draw(ends)}
        for _ in range(draw(st.integers(0, 9)))
    ]
    return {"nodes": nodes, "edges": edges}


def causal(edge: dict[str, str]) -> tuple[str, str]:
    """(effect, cause) of a client edge."""
    spec = EdgeKind(edge["kind"].lower()).spec
    if spec.source_is_effect:
        return edge["source"], edge["target"]
    return edge["target"], edge["source"]


def is_valid(batch: dict[str, Any]) -> bool:
    ids = [n["id"] for n in batch["nodes"]]
    if len(set(ids)) != len(ids):
        return False
    if any(n["json"] == '{"broken": ' for n in batch["nodes"]):
        return False
    graph: dict[str, set[str]] = {i: set() for i in ids}
    for e in batch["edges"]:
        if e["source"] == e["target"] or {e["source"], e["target"]} - set(ids):
            return False
        effect, cause = causal(e)
        graph[effect].add(cause)
    state: dict[str, int] = {}

    def cyclic(n: str) -> bool:
        state[n] = 1
        for m in graph[n]:
            if state.get(m) == 1 or (m not in state and cyclic(m)):
                return True
        state[n] = 2
        return False

    return not any(n not in state and cyclic(n) for n in ids)


def namespaced(batch: dict[str, Any], run_id: str) -> dict[str, Any]:
    def rename(node_id: str) -> str:
        return f"{run_id}:{node_id}"

    return {
        "run": {"id": run_id},
        "nodes": [{**n, "id": rename(n["id"])} for n in batch["nodes"]],
        "edges": [
            {**e, "source": rename(e["source"]), "target": rename(e["target"])}
            for e in batch["edges"]
        ],
    }


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=batches())
async def test_a_batch_is_recorded_exactly_or_refused_whole(
    client: httpx.AsyncClient, batch: dict[str, Any]
) -> None:
    run_id = f"p{uuid.uuid4().hex[:10]}"
    sent = namespaced(batch, run_id)
    body = await gql(client, RECORD, {"input": sent})
    if not is_valid(batch):
        assert error_codes(body) == ["BAD_USER_INPUT"], body
        extensions = body["errors"][0]["extensions"]
        assert "index" in extensions and "id" in extensions, extensions
        nothing = await gql(
            client,
            "query($r: String!, $n: String!) { run(id: $r) { runId } runNode(id: $n) { nodeId } }",
            {"r": run_id, "n": sent["nodes"][0]["id"]},
        )
        assert nothing["data"] == {"run": None, "runNode": None}
        return
    assert "errors" not in body, body
    distinct_edges = {(causal(e), e["kind"]) for e in sent["edges"]}
    result = body["data"]["recordRun"]
    assert result["nodesCreated"] == len(sent["nodes"])
    assert result["edgesCreated"] == len(distinct_edges)
    assert result["run"]["nodeCount"] == len(sent["nodes"])

    again = (await gql(client, RECORD, {"input": sent}))["data"]["recordRun"]
    assert again["changed"] is False
    assert (again["nodesCreated"], again["edgesCreated"]) == (0, 0)

    stored = await gql(
        client,
        "query($r: String!) { run(id: $r) { nodes(first: 50) { edges { node {"
        " nodeId kind step text json } } } } }",
        {"r": run_id},
    )
    got = {e["node"]["nodeId"]: e["node"] for e in stored["data"]["run"]["nodes"]["edges"]}
    for node in sent["nodes"]:
        assert got[node["id"]] == {
            "nodeId": node["id"],
            "kind": node["kind"],
            "step": node["step"],
            "text": node["text"],
            "json": node["json"],
        }
