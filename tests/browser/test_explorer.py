"""The lineage explorer (/explore) in headless Chromium with every outside request blocked: open a
run, highlight ancestors, the lineage path, diff two runs, watch a live run, the task board, and
the time to open and draw a 5,000-node run (printed and saved, not asserted)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.harness import ARTIFACTS, assert_clean, drive, require_browser
from tests.served import Served, provgraph, served

pytestmark = pytest.mark.slow

RECORD = """mutation($input: RecordRunInput!) { recordRun(input: $input) { nodesCreated } }"""


def gql(server: Served, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = httpx.post(
        f"{server.url}/graphql", json={"query": query, "variables": variables or {}}, timeout=120
    )
    body: dict[str, Any] = answer.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def run_input(run_id: str, answer: str, tool: str = "weather") -> dict[str, Any]:
    """A small run: question -> decision (with a memory) -> tool call -> result -> answer."""
    p = f"{run_id}:"
    return {
        "run": {"id": run_id, "agentId": "planner", "status": "SUCCEEDED"},
        "nodes": [
            {"id": p + "q", "kind": "INPUT", "step": 0, "text": "Weather in the capital?"},
            {"id": p + "mem", "kind": "MEMORY_FACT", "step": 0, "text": "The capital is Paris"},
            {"id": p + "d1", "kind": "DECISION", "step": 1, "text": "Call the weather tool"},
            {
                "id": p + "call",
                "kind": "TOOL_CALL",
                "step": 2,
                "toolName": tool,
                "arguments": '{"city":"Paris"}',
                "tokens": 120,
                "cost": 0.002,
                "latencyMs": 340,
            },
            {"id": p + "res", "kind": "TOOL_RESULT", "step": 3, "json": '{"temp":22}'},
            {"id": p + "out", "kind": "OUTPUT", "step": 4, "text": answer, "tokens": 40},
        ],
        "edges": [
            {"kind": "INFLUENCED", "source": p + "q", "target": p + "d1"},
            {"kind": "INFLUENCED", "source": p + "mem", "target": p + "d1"},
            {"kind": "TRIGGERED", "source": p + "d1", "target": p + "call"},
            {"kind": "PRODUCED", "source": p + "call", "target": p + "res"},
            {"kind": "INFLUENCED", "source": p + "res", "target": p + "out"},
        ],
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    require_browser()
    data: Path = tmp_path_factory.mktemp("explorer")
    with served(data) as s:
        gql(s, RECORD, {"input": run_input("ex-a", "It is 22 degrees in Paris")})
        gql(s, RECORD, {"input": run_input("ex-b", "It is warm", tool="forecast")})
        yield s


def test_explorer_opens_a_run_highlights_ancestors_and_a_lineage_path(server: Served) -> None:
    report = drive("explorer_run", server.url, run="ex-a", node="ex-a:call", other="ex-a:q")
    assert_clean(report)
    result = report["result"]
    assert result["title"] == "provgraph explorer"
    assert result["runsList"] == 1
    assert result["drawnNodes"] == 6 and result["drawnEdges"] == 5
    assert result["legend"] >= 7
    # Ancestors of the tool call at the default depth: the decision, the question, the memory.
    assert set(result["ancestors"]) == {"ex-a:d1", "ex-a:q", "ex-a:mem"}
    assert set(result["descendants"]) == {"ex-a:res", "ex-a:out"}
    assert "3 ancestors, 2 descendants" in result["ancestorText"]
    assert "tool" in result["detailsText"] and "weather" in result["detailsText"]
    assert "hash verified" in result["detailsText"]
    # Depth 1: only the decision.
    assert result["ancestorsDepth1"] == ["ex-a:d1"]
    # Shift-click: the path from the question to the tool call.
    assert set(result["pathNodes"]) == {"ex-a:q", "ex-a:d1", "ex-a:call"}
    assert "path" in result["lineageText"]
    # The URL names the view: reloading it brings back the run, the node and the path.
    assert "view=run" in result["url"] and "node=ex-a%3Acall" in result["url"]
    assert result["reloadedPath"] == result["pathNodes"]


def test_explorer_diffs_two_runs(server: Served) -> None:
    report = drive("explorer_diff", server.url, run="ex-a", other="ex-b")
    assert_clean(report)
    result = report["result"]
    # The tool differs at step 2 (first divergence), the output at step 4.
    assert "first divergent step: 2" in result["verdict"]
    assert result["rows"] >= 2
    assert "ex-a:call" in result["leftMarked"] and "ex-b:call" in result["rightMarked"]
    assert "ex-a:out" in result["leftMarked"] and "ex-b:out" in result["rightMarked"]
    assert set(result["leftDivergent"]) == {"ex-a:call"}


def test_explorer_watches_a_live_run(server: Served) -> None:
    first = run_input("ex-live", "pending")
    first["run"]["status"] = "RUNNING"
    first["nodes"] = first["nodes"][:3]
    first["edges"] = first["edges"][:2]
    gql(server, RECORD, {"input": first})
    later = run_input("ex-live", "pending")
    slice_ = {
        "run": {"id": "ex-live", "status": "SUCCEEDED"},
        "nodes": [later["nodes"][3]],
        "edges": [later["edges"][2]],
    }
    report = drive("explorer_live", server.url, run="ex-live", slice=slice_, record=RECORD)
    assert_clean(report)
    result = report["result"]
    assert result["before"] == 3
    assert result["after"] == 4
    assert "ex-live:call" in result["fresh"]
    assert result["status"] == "SUCCEEDED"


def test_explorer_task_board(server: Served) -> None:
    ns = "explorer-board"
    agent = gql(
        server,
        """mutation($ns: String!) { createSoftwareAgent(input: {namespace: $ns, name: "builder"})
        { nativeId } }""",
        {"ns": ns},
    )["createSoftwareAgent"]["nativeId"]

    def task(title: str, priority: int) -> str:
        created = gql(
            server,
            """mutation($ns: String!, $t: String!, $p: Int!) {
            createTask(input: {namespace: $ns, title: $t, priority: $p}) { nativeId } }""",
            {"ns": ns, "t": title, "p": priority},
        )
        native: str = created["createTask"]["nativeId"]
        return native

    schema = task("Design the schema", 1)
    api = task("Build the API", 2)
    ui = task("Draw the explorer", 2)
    edge = """mutation($k: TaskEdgeKind!, $s: String!, $t: String!) {
        addTaskEdge(kind: $k, source: $s, target: $t) { created } }"""
    gql(server, edge, {"k": "BLOCKED_BY", "s": api, "t": schema})
    gql(server, edge, {"k": "BLOCKED_BY", "s": ui, "t": api})
    gql(server, edge, {"k": "ATTRIBUTED_TO", "s": schema, "t": agent})
    gql(
        server,
        """mutation($a: String!, $ns: String!) { startActivity(input: {agentId: $a,
        namespace: $ns, phase: IMPL_PLAN, notes: "sketching the schema"}) { created } }""",
        {"a": agent, "ns": ns},
    )
    report = drive("explorer_tasks", server.url, namespace=ns, task=ui)
    assert_clean(report)
    result = report["result"]
    assert result["ready"] == ["Design the schema"]
    assert sorted(result["blocked"]) == ["Build the API", "Draw the explorer"]
    # Draw the explorer waits on Build the API, which waits on Design the schema.
    assert result["tree"] == ["Draw the explorer", "Build the API", "Design the schema"]
    assert "builder" in result["who"] and "sketching the schema" in result["who"]
    assert "Design the schema" in result["who"]


def test_explorer_draws_a_5000_node_run(server: Served) -> None:
    """Measured, not asserted: time from navigation to the drawn graph, printed and saved."""
    nodes, edges = [], []
    for i in range(5000):
        step = i // 10
        kinds = ("DECISION", "TOOL_CALL", "TOOL_RESULT", "OBSERVATION", "MEMORY_FACT")
        nodes.append({"id": f"big:{i}", "kind": kinds[i % 5], "step": step, "text": f"n{i}"})
        if i >= 10:
            edges.append({"kind": "INFLUENCED", "source": f"big:{i - 10}", "target": f"big:{i}"})
    gql(server, RECORD, {"input": {"run": {"id": "big"}, "nodes": nodes, "edges": edges}})
    report = drive("explorer_big", server.url, run="big", timeout=300)
    assert_clean(report)
    result = report["result"]
    for label, t in (("first open", result["first"]), ("second open", result["second"])):
        assert t["nodes"] == 5000 and t["edges"] == 4990
        print(
            f"explorer: 5,000-node run, {label}: drawn {t['openMs']:.0f} ms after navigation "
            f"(GraphQL answers at {t['fetchedMs']:.0f} ms, graph built at {t['builtMs']:.0f} ms, "
            f"first frame at {t['drawnMs']:.0f} ms), headless Chromium"
        )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "explorer-5000.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


def test_explorer_page_is_served_with_the_csp(server: Served) -> None:
    page = httpx.get(f"{server.url}/explore")
    assert page.status_code == 200
    assert "script-src 'self';" in page.headers["content-security-policy"]
    assert '<script src="/static/explorer.js"></script>' in page.text
    assert httpx.get(f"{server.url}/static/explorer.js").status_code == 200
    assert httpx.get(f"{server.url}/static/explorer.css").status_code == 200


def test_explorer_asks_for_an_api_key_where_keys_are_required(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    require_browser()
    with served(tmp_path_factory.mktemp("explorer-keys"), require_api_keys="true") as server:
        created = provgraph(server.env, "keys", "create", "--tenant", "acme", "--format", "json")
        assert created.returncode == 0, created.stderr
        key = json.loads(created.stdout)["token"]
        first = run_input("k-run", "pending")
        first["nodes"], first["edges"] = first["nodes"][:3], first["edges"][:2]
        answer = httpx.post(
            f"{server.url}/graphql",
            json={"query": RECORD, "variables": {"input": first}},
            headers={"Authorization": f"Bearer {key}"},
            timeout=60,
        ).json()
        assert "errors" not in answer, answer
        later = run_input("k-run", "pending")
        slice_ = {
            "run": {"id": "k-run"},
            "nodes": [later["nodes"][3]],
            "edges": [later["edges"][2]],
        }
        report = drive(
            "explorer_keys", server.url, run="k-run", key=key, slice=slice_, record=RECORD
        )
    # The page's first request, without a key, is answered 401: Chromium logs that one.
    report["consoleErrors"] = [e for e in report["consoleErrors"] if "401" not in e]
    assert_clean(report)
    result = report["result"]
    assert result["stored"] == key and result["forget"] == 1
    assert (result["before"], result["after"]) == (3, 4)
