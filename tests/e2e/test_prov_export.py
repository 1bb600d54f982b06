"""PROV export of recorded runs: every format parses back with ``prov`` and round-trips."""

from __future__ import annotations

from typing import Any

import httpx
from prov.model import ProvActivity, ProvDocument
from rdflib import Graph as RdfGraph
from rdflib.compare import isomorphic

from provgraph.export.prov_rules import ProvFormat, from_prov, parse, serialize, to_prov
from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import RECORD, sample_run

DOC = """
query($run: String, $session: String, $node: String, $dir: ExportDirection! = ANCESTORS,
      $format: ProvFormat!) {
  provDocument(runId: $run, sessionId: $session, nodeId: $node, direction: $dir,
               format: $format) { format document runIds elementCount }
}
"""


async def _record(client: httpx.AsyncClient, batch: dict[str, Any]) -> None:
    body = await gql(client, RECORD, {"input": batch})
    assert "errors" not in body, body


async def _export(client: httpx.AsyncClient, fmt: str, **scope: Any) -> dict[str, Any]:
    body = await gql(client, DOC, {"format": fmt, **scope})
    assert "errors" not in body, body
    answer: dict[str, Any] = body["data"]["provDocument"]
    return answer


async def _session(client: httpx.AsyncClient) -> None:
    main = sample_run("s-run-1")
    main["run"]["sessionId"] = "conv-7"
    await _record(client, main)
    follow = {
        "run": {
            "id": "s-run-2",
            "agentId": "helper",
            "status": "SUCCEEDED",
            "sessionId": "conv-7",
            "metadata": '{"parent_run_id": "s-run-1"}',
        },
        "nodes": [{"id": "s-run-2:o", "kind": "OUTPUT", "step": 0, "text": 'weird id #<>"%'}],
        "edges": [{"kind": "DERIVED_FROM", "source": "s-run-2:o", "target": "s-run-1:res"}],
    }
    await _record(client, follow)


async def test_a_run_in_every_format_parses_back_and_round_trips(
    client: httpx.AsyncClient,
) -> None:
    await _record(client, sample_run("run-p"))
    subgraph = await gql(
        client, '{ runSubgraph(runId: "run-p") { nodes { nodeId } edges { kind } } }'
    )
    stored = subgraph["data"]["runSubgraph"]

    as_json = await _export(client, "PROV_JSON", run="run-p")
    assert as_json["runIds"] == ["run-p"]
    assert as_json["elementCount"] == 1 + len(stored["nodes"]) + len(stored["edges"])
    document = ProvDocument.deserialize(content=as_json["document"], format="json")
    # export -> import -> export: the same document, byte for byte.
    assert serialize(document, ProvFormat.PROV_JSON) == as_json["document"]
    graph = from_prov(document)
    assert sorted(n.id for n in graph.nodes) == sorted(n["nodeId"] for n in stored["nodes"])
    assert len(graph.edges) == len(stored["edges"])
    assert serialize(to_prov(graph), ProvFormat.PROV_JSON) == as_json["document"]
    # Tool calls and the run are activities; the other nodes entities.
    activities = {str(r.identifier) for r in document.get_records(ProvActivity)}
    assert activities == {"id:run-p", "id:run-p%3Acall"}

    as_turtle = await _export(client, "PROV_O", run="run-p")
    again = parse(as_turtle["document"], ProvFormat.PROV_O)
    assert again == document
    assert isomorphic(
        RdfGraph().parse(data=as_turtle["document"], format="turtle"),
        RdfGraph().parse(data=serialize(again, ProvFormat.PROV_O), format="turtle"),
    )

    as_n = await _export(client, "PROV_N", run="run-p")
    # prov cannot read PROV-N back; it is the same document as the JSON one.
    assert as_n["document"] == to_prov(graph).get_provn()
    assert "wasGeneratedBy(edge:run-p%3Acall%7Cproduced%7Crun-p%3Ares;" in as_n["document"]


async def test_a_session_holds_its_runs_their_cross_run_edges_and_agents(
    client: httpx.AsyncClient,
) -> None:
    await _session(client)
    await _record(client, sample_run("other-run"))
    answer = await _export(client, "PROV_JSON", session="conv-7")
    assert answer["runIds"] == ["s-run-1", "s-run-2"]
    graph = from_prov(parse(answer["document"], ProvFormat.PROV_JSON))
    assert {(e.kind.value, e.source, e.target) for e in graph.edges} >= {
        ("derived_from", "s-run-2:o", "s-run-1:res")
    }
    assert sorted(a.id for a in graph.agents) == ["agent-x", "helper"]
    assert "s-run-2:o" in {n.id for n in graph.nodes}
    assert [n.text for n in graph.nodes if n.id == "s-run-2:o"] == ['weird id #<>"%']
    document = parse(answer["document"], ProvFormat.PROV_JSON)
    provn = document.get_provn()
    # The sub-run was informed by its parent run, and its agent acted on the parent's behalf.
    assert "wasInformedBy(edge:s-run-2%7Csub_run_of%7Cs-run-1; id:s-run-2, id:s-run-1)" in provn
    assert "actedOnBehalfOf(edge:helper%7Con_behalf_of%7Cagent-x%7Cs-run-2;" in provn
    assert "other-run" not in answer["document"]


async def test_a_traversal_answer_exports_its_nodes_and_edges(client: httpx.AsyncClient) -> None:
    await _session(client)
    answer = await _export(client, "PROV_JSON", node="s-run-2:o")
    graph = from_prov(parse(answer["document"], ProvFormat.PROV_JSON))
    ancestors = await gql(
        client, '{ ancestors(nodeId: "s-run-2:o") { nodes { node { nodeId } } edges { kind } } }'
    )
    reached = ancestors["data"]["ancestors"]
    assert sorted(n.id for n in graph.nodes) == sorted(
        ["s-run-2:o", *(n["node"]["nodeId"] for n in reached["nodes"])]
    )
    assert len(graph.edges) == len(reached["edges"])
    assert answer["runIds"] == ["s-run-1", "s-run-2"]
    down = await _export(client, "PROV_JSON", node="s-run-1:res", dir="DESCENDANTS")
    assert "s-run-2%3Ao" in down["document"]


async def test_bad_scopes_are_typed_errors(client: httpx.AsyncClient) -> None:
    body = await gql(client, DOC, {"format": "PROV_JSON"})
    assert error_codes(body) == ["BAD_USER_INPUT"]
    body = await gql(client, DOC, {"format": "PROV_JSON", "run": "missing"})
    assert error_codes(body) == ["NOT_FOUND"]
    body = await gql(client, DOC, {"format": "PROV_JSON", "node": "missing"})
    assert error_codes(body) == ["NOT_FOUND"]
