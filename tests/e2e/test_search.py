"""Search on a real engine: ranked, paged, scoped, tenant-bound, hostile text refused."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from provgraph.engine.connection import Engine
from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import record, sample_run

SEARCH = """query($text: String!, $kinds: [SearchKind!], $runId: String, $sessionId: String,
               $first: Int, $after: String) {
  search(text: $text, kinds: $kinds, runId: $runId, sessionId: $sessionId, first: $first,
         after: $after) {
    totalCount
    edges { cursor node { kind nodeId runId score snippet node { step } run { runId } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def search(client: httpx.AsyncClient, text: str, **variables: Any) -> dict[str, Any]:
    body = await gql(client, SEARCH, {"text": text, **variables})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["search"]
    return result


def hits(result: dict[str, Any]) -> list[tuple[str, int]]:
    return [(e["node"]["nodeId"], e["node"]["score"]) for e in result["edges"]]


@pytest.fixture
async def runs(client: httpx.AsyncClient) -> None:
    first = sample_run("run-1")
    first["run"]["sessionId"] = "chat-1"
    assert "errors" not in await record(client, first)
    assert "errors" not in await record(client, sample_run("run-2", tool_result="Rain in Lyon"))


async def test_ranked_hits_across_text_json_tool_names_and_metadata(
    client: httpx.AsyncClient, runs: None
) -> None:
    found = await search(client, "WEATHER")
    # Tool calls name the tool (+1 for the tool name itself); the input asks about weather.
    assert hits(found)[:2] == [("run-1:call", 3), ("run-2:call", 3)]
    assert found["totalCount"] == len(found["edges"])
    assert {"run-1:call", "run-2:call", "run-1:in", "run-2:in"} <= {
        e["node"]["nodeId"] for e in found["edges"]
    }
    assert all(e["node"]["score"] >= 2 for e in found["edges"])
    call = found["edges"][0]["node"]
    assert call["kind"] == "TOOL_CALL" and call["run"] == {"runId": "run-1"}
    assert "weather" in call["snippet"].lower()
    # Two words: a node with both ranks above a node with one.
    both = await search(client, "rain lyon")
    assert ("run-2:res", 4) in hits(both)
    assert all(score == 4 for _, score in hits(both)[:2])
    assert all(score == 2 for _, score in hits(both)[2:])
    # Run metadata: kind RUN.
    meta = await search(client, "m1", kinds=["RUN"])
    assert [(e["node"]["kind"], e["node"]["nodeId"]) for e in meta["edges"]] == [
        ("RUN", "run-1"),
        ("RUN", "run-2"),
    ]
    assert meta["edges"][0]["node"]["node"] is None


async def test_pages_scopes_and_kinds(client: httpx.AsyncClient, runs: None) -> None:
    everything = await search(client, "weather", first=10)
    seen: list[str] = []
    after = None
    while True:
        page = await search(client, "weather", first=1, after=after)
        assert page["totalCount"] == everything["totalCount"]
        seen += [e["node"]["nodeId"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [e["node"]["nodeId"] for e in everything["edges"]]
    scoped = await search(client, "weather", runId="run-2")
    assert {e["node"]["runId"] for e in scoped["edges"]} == {"run-2"}
    session = await search(client, "weather", sessionId="chat-1")
    assert {e["node"]["runId"] for e in session["edges"]} == {"run-1"}
    calls = await search(client, "weather", kinds=["TOOL_CALL"])
    assert {e["node"]["kind"] for e in calls["edges"]} == {"TOOL_CALL"}
    assert (await search(client, "no-such-word-anywhere"))["totalCount"] == 0


async def test_missing_scopes_are_not_found(client: httpx.AsyncClient, runs: None) -> None:
    for scope in ({"runId": "nope"}, {"sessionId": "nope"}):
        body = await gql(client, SEARCH, {"text": "weather", **scope})
        assert error_codes(body) == ["NOT_FOUND"], scope


@pytest.mark.parametrize(
    "text", ["", "   ", "x" * 501, "a b c d e f g h i j k", "x\u0000y", "x" * 100_000]
)
async def test_bad_text_is_refused(client: httpx.AsyncClient, runs: None, text: str) -> None:
    body = await gql(client, SEARCH, {"text": text})
    assert error_codes(body) == ["BAD_USER_INPUT"], body


@pytest.mark.parametrize(
    "text", ["' OR 1=1 //", "x'}) MATCH (m) DETACH DELETE m //", "$tenant", "CONTAINS"]
)
async def test_injection_strings_are_just_words(
    client: httpx.AsyncClient, runs: None, engine: Engine, tenant: str, text: str
) -> None:
    count = "MATCH (n:Node {tenant: $t}) RETURN count(n) AS n"
    before, _, _ = await engine.driver.execute_query(count, t=tenant, database_=engine.database)
    found = await search(client, text)  # words to look for, nothing more
    assert found["totalCount"] == len(found["edges"])
    after, _, _ = await engine.driver.execute_query(count, t=tenant, database_=engine.database)
    assert after[0]["n"] == before[0]["n"] >= 18  # 2 runs + 16 run nodes (+ audit), untouched
