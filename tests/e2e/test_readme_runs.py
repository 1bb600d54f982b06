"""The README's run examples (record, honest answers, find, search, sessions, roll-ups, one
graph, time windows), run as written against the real engine."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from tests.runs_fixtures import record


def readme_operations(repo_root: Path) -> str:
    text = (repo_root / "README.md").read_text(encoding="utf-8")
    section = text.split("## Errors and limits", 1)[1].split("\n## Configuration", 1)[0]
    return "\n".join(re.findall(r"```graphql\n(.*?)```", section, re.DOTALL))


async def run(
    client: httpx.AsyncClient,
    document: str,
    name: str | None,
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": document, "operationName": name, "variables": variables or {}}
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, (name, body)
    data: dict[str, Any] = body["data"]
    return data


async def test_readme_run_examples_run(client: httpx.AsyncClient, repo_root: Path) -> None:
    doc = readme_operations(repo_root)
    recorded = await run(client, doc, "RecordRun")
    assert recorded["recordRun"]["nodesCreated"] == 4
    then = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    honest = await run(client, doc, "HonestAnswers")
    assert honest["ancestors"]["depthLimited"] is False
    assert honest["lineage"]["direction"] == "downstream"
    tagged = await run(client, doc, "Tag")
    assert tagged["addRunLabel"]["labels"] == ["incident-7"]
    failing = await run(client, doc, "FailingRunsOfCoderYesterday")
    assert failing["runs"]["totalCount"] == 0  # run-42 is the planner's, and succeeded
    found = await run(client, doc, "Search")
    assert [e["node"]["nodeId"] for e in found["search"]["edges"]] == ["run-42:call"]
    sessions = await run(client, doc, "Sessions")
    assert sessions["session"] is None and sessions["sessions"]["totalCount"] == 0
    cost = await run(client, doc, "WhatItCost")
    assert cost["ancestors"]["rollup"]["total"]["nodes"] == 4
    child = {
        "run": {"id": "run-43", "agentId": "weather-agent"},
        "nodes": [{"id": "run-43:in", "kind": "INPUT", "step": 0, "text": "Paris"}],
        "edges": [],
    }
    assert "errors" not in await record(client, child)
    task = await run(
        client,
        'mutation { createTask(input: {namespace: "https://github.com/acme/shop", '
        'title: "Weather answers"}) { nativeId } }',
        None,
    )
    linked = await run(client, doc, "LinkRuns", {"task": task["createTask"]["nativeId"]})
    assert linked["sub"]["created"] and linked["task"]["created"]
    reached = await run(client, doc, "Reached")
    assert reached["ancestors"]["reachedRuns"] == ["run-42"]
    assert reached["ancestors"]["reachedTasks"] == [task["createTask"]["nativeId"]]
    past = await run(client, doc, "AsOf", {"then": then})
    assert len(past["ancestors"]["nodes"]) == 3
