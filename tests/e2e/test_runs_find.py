"""Finding runs on a real engine: the filtered, paged run list and run labels."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from provgraph.engine.connection import Engine
from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import record

RUNS = """query($f: RunFilterInput, $first: Int, $after: String,
               $order: RunOrder! = STARTED_AT_DESC) {
  runs(filter: $f, first: $first, after: $after, orderBy: $order) {
    totalCount edges { cursor node { runId } } pageInfo { hasNextPage endCursor }
  }
}"""


def a_run(
    run_id: str,
    *,
    agent: str = "planner",
    status: str = "SUCCEEDED",
    day: int = 1,
    ended_day: int | None = None,
    tool: str | None = None,
    error: str | None = None,
    session: str | None = None,
    metadata: str | None = None,
) -> dict[str, Any]:
    run: dict[str, Any] = {
        "id": run_id,
        "agentId": agent,
        "status": status,
        "startedAt": f"2026-01-{day:02d}T10:00:00Z",
    }
    if ended_day is not None:
        run["endedAt"] = f"2026-01-{ended_day:02d}T11:00:00Z"
    if session is not None:
        run["sessionId"] = session
    if metadata is not None:
        run["metadata"] = metadata
    nodes: list[dict[str, Any]] = [
        {"id": f"{run_id}:in", "kind": "INPUT", "step": 0, "text": f"question of {run_id}"}
    ]
    if tool is not None:
        nodes.append(
            {
                "id": f"{run_id}:call",
                "kind": "TOOL_CALL",
                "step": 1,
                "toolName": tool,
                "arguments": "{}",
                "tokens": 10,
                "cost": 0.5,
                "latencyMs": 100,
                **({"error": error, "toolStatus": "error"} if error else {}),
            }
        )
    return {"run": run, "nodes": nodes, "edges": []}


async def ids(client: httpx.AsyncClient, **variables: Any) -> tuple[int, list[str]]:
    body = await gql(client, RUNS, variables)
    assert "errors" not in body, body
    runs = body["data"]["runs"]
    return runs["totalCount"], [e["node"]["runId"] for e in runs["edges"]]


@pytest.fixture
async def runs(client: httpx.AsyncClient) -> None:
    batches = [
        a_run("r1", day=1, ended_day=1, tool="weather", metadata='{"model": "m1", "n": 1}'),
        a_run("r2", day=2, ended_day=3, status="FAILED", session="s-1"),
        a_run("r3", agent="coder", day=3, tool="shell", error="exit 1", session="s-1"),
        a_run("r4", agent="coder", day=4, tool="weather", metadata='{"model": "m2"}'),
        a_run("r5", day=5, status="RUNNING"),
    ]
    for batch in batches:
        assert "errors" not in await record(client, batch)


async def test_newest_first_with_a_real_total_and_every_page(
    client: httpx.AsyncClient, runs: None
) -> None:
    total, first = await ids(client)
    assert (total, first) == (5, ["r5", "r4", "r3", "r2", "r1"])
    seen: list[str] = []
    after = None
    while True:
        body = await gql(client, RUNS, {"first": 2, "after": after})
        page = body["data"]["runs"]
        assert page["totalCount"] == 5
        seen += [e["node"]["runId"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ["r5", "r4", "r3", "r2", "r1"]
    assert await ids(client, order="STARTED_AT_ASC", first=2) == (5, ["r1", "r2"])


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        ({"agentId": "coder"}, ["r4", "r3"]),
        ({"status": ["FAILED", "RUNNING"]}, ["r5", "r2"]),
        (
            {"startedAfter": "2026-01-02T10:00:00Z", "startedBefore": "2026-01-04T00:00:00Z"},
            ["r3", "r2"],
        ),
        ({"endedAfter": "2026-01-02T00:00:00Z"}, ["r2"]),
        ({"endedBefore": "2026-01-02T00:00:00Z"}, ["r1"]),
        ({"toolName": "weather"}, ["r4", "r1"]),
        ({"hasError": True}, ["r3", "r2"]),
        ({"hasError": False}, ["r5", "r4", "r1"]),
        ({"sessionId": "s-1"}, ["r3", "r2"]),
        ({"metadataKey": "model", "metadataValue": "m1"}, ["r1"]),
        ({"metadataKey": "n", "metadataValue": "1"}, ["r1"]),
        ({"agentId": "coder", "toolName": "weather"}, ["r4"]),
        ({"agentId": "nobody"}, []),
    ],
)
async def test_filters(
    client: httpx.AsyncClient, runs: None, f: dict[str, Any], expected: list[str]
) -> None:
    assert await ids(client, f=f) == (len(expected), expected)


async def test_labels_are_idempotent_and_filter(client: httpx.AsyncClient, runs: None) -> None:
    add = "mutation($r: String!, $l: String!) { addRunLabel(runId: $r, label: $l) { labels } }"
    remove = (
        "mutation($r: String!, $l: String!) { removeRunLabel(runId: $r, label: $l) { labels } }"
    )
    for _ in range(2):
        body = await gql(client, add, {"r": "r2", "l": "incident-7"})
        assert body["data"]["addRunLabel"]["labels"] == ["incident-7"]
    await gql(client, add, {"r": "r4", "l": "incident-7"})
    assert await ids(client, f={"label": "incident-7"}) == (2, ["r4", "r2"])
    for _ in range(2):
        body = await gql(client, remove, {"r": "r2", "l": "incident-7"})
        assert body["data"]["removeRunLabel"]["labels"] == []
    assert await ids(client, f={"label": "incident-7"}) == (1, ["r4"])
    missing = await gql(client, add, {"r": "nope", "l": "x"})
    assert error_codes(missing) == ["NOT_FOUND"]
    run = await gql(client, '{ run(id: "r4") { labels toolNames errorCount } }')
    assert run["data"]["run"] == {
        "labels": ["incident-7"],
        "toolNames": ["weather"],
        "errorCount": 0,
    }


@pytest.mark.parametrize(
    "f",
    [
        {"startedAfter": "2026-01-05T00:00:00Z", "startedBefore": "2026-01-01T00:00:00Z"},
        {"startedAfter": "not a time"},
        {"metadataValue": "m1"},
        {"toolName": "x" * 100_000},
        {"label": "' OR 1=1 //"},
        {"agentId": ""},
    ],
)
async def test_bad_filters_are_typed_errors(
    client: httpx.AsyncClient, runs: None, f: dict[str, Any]
) -> None:
    body = await gql(client, RUNS, {"f": f})
    if f.get("label"):  # an odd label is a label: it just matches nothing
        assert body["data"]["runs"]["totalCount"] == 0
    else:
        assert error_codes(body) == ["BAD_USER_INPUT"], body


async def test_a_bad_label_writes_nothing(
    client: httpx.AsyncClient, runs: None, engine: Engine, tenant: str
) -> None:
    for label in ("", "x" * 101, "a\u0000b"):
        body = await gql(
            client,
            'mutation($l: String!) { addRunLabel(runId: "r1", label: $l) { labels } }',
            {"l": label},
        )
        assert error_codes(body) == ["BAD_USER_INPUT"], label
    records, _, _ = await engine.driver.execute_query(
        "MATCH (r:Run {tenant: $t, id: 'r1'}) RETURN r.labels AS labels",
        t=tenant,
        database_=engine.database,
    )
    assert records[0]["labels"] == []


SESSION = """query($id: String!) {
  session(id: $id) {
    sessionId runCount startedAt endedAt agentIds failedRuns errorCount
    runs(first: 1) { totalCount edges { node { runId } } pageInfo { endCursor } }
  }
}"""


async def test_sessions_group_runs_in_order(client: httpx.AsyncClient, runs: None) -> None:
    assert "errors" not in await record(client, a_run("r6", agent="coder", day=9, session="s-2"))
    body = await gql(client, SESSION, {"id": "s-1"})
    s = body["data"]["session"]
    assert s["sessionId"] == "s-1" and s["runCount"] == 2
    assert s["startedAt"] == "2026-01-02T10:00:00.000Z"
    assert s["agentIds"] == ["coder", "planner"]
    assert (s["failedRuns"], s["errorCount"]) == (1, 1)
    assert s["runs"]["totalCount"] == 2
    assert [e["node"]["runId"] for e in s["runs"]["edges"]] == ["r2"]  # oldest first
    later = await gql(
        client,
        'query($c: String) { session(id: "s-1") { runs(after: $c) { edges { node { runId } } } } }',
        {"c": s["runs"]["pageInfo"]["endCursor"]},
    )
    assert [e["node"]["runId"] for e in later["data"]["session"]["runs"]["edges"]] == ["r3"]
    run = await gql(
        client,
        '{ run(id: "r3") { session { sessionId runCount } } '
        'r1: run(id: "r1") { session { sessionId } } }',
    )
    assert run["data"] == {
        "run": {"session": {"sessionId": "s-1", "runCount": 2}},
        "r1": {"session": None},
    }
    assert (await gql(client, SESSION, {"id": "nope"}))["data"]["session"] is None
    listed = await gql(
        client,
        "query($f: SessionFilterInput) { sessions(filter: $f, first: 1) { totalCount "
        "edges { node { sessionId runs { totalCount } } } pageInfo { hasNextPage } } }",
        {},
    )
    assert listed["data"]["sessions"] == {
        "totalCount": 2,
        "edges": [{"node": {"sessionId": "s-2", "runs": {"totalCount": 1}}}],
        "pageInfo": {"hasNextPage": True},
    }
    for f, expected in (
        ({"agentId": "planner"}, ["s-1"]),
        ({"activeBefore": "2026-01-05T00:00:00Z"}, ["s-1"]),
        ({"activeAfter": "2026-01-05T00:00:00Z"}, ["s-2"]),
        ({"agentId": "nobody"}, []),
    ):
        got = await gql(
            client,
            "query($f: SessionFilterInput) { sessions(filter: $f) { totalCount "
            "edges { node { sessionId } } } }",
            {"f": f},
        )
        page = got["data"]["sessions"]
        assert [e["node"]["sessionId"] for e in page["edges"]] == expected, f
        assert page["totalCount"] == len(expected)
    bad = await gql(
        client,
        '{ sessions(filter: {activeAfter: "2026-01-05T00:00:00Z", '
        'activeBefore: "2026-01-01T00:00:00Z"}) { totalCount } }',
    )
    assert error_codes(bad) == ["BAD_USER_INPUT"]


async def test_no_sessions_is_an_empty_page(client: httpx.AsyncClient) -> None:
    body = await gql(client, "{ sessions { totalCount edges { cursor } } }")
    assert body["data"]["sessions"] == {"totalCount": 0, "edges": []}
