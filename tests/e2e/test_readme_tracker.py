"""The README's tracker walk-through, run as written against the real engine."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx


def readme_operations(repo_root: Path) -> str:
    text = (repo_root / "README.md").read_text(encoding="utf-8")
    section = text.split("## Task tracker", 1)[1].split("\n## ", 1)[0]
    return "\n".join(re.findall(r"```graphql\n(.*?)```", section, re.DOTALL))


async def run(
    client: httpx.AsyncClient, document: str, name: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": document, "operationName": name, "variables": variables or {}}
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, (name, body)
    data: dict[str, Any] = body["data"]
    return data


async def test_readme_tracker_walkthrough_runs(client: httpx.AsyncClient, repo_root: Path) -> None:
    doc = readme_operations(repo_root)
    agent = (await run(client, doc, "RegisterAgent"))["createMlAgent"]["nativeId"]
    started = await run(client, doc, "StartWork", {"agent": agent})
    assert started["startActivity"]["created"] is True
    task = (await run(client, doc, "CreateTask"))["createTask"]["nativeId"]
    blocker = (await run(client, doc, "CreateTask"))["createTask"]["nativeId"]
    linked = await run(
        client, doc, "LinkTask", {"task": task, "blocker": blocker, "activity": "sprint-7-impl"}
    )
    assert linked["addTaskEdge"]["created"] and linked["generated"]["created"]
    ready = await run(client, doc, "WhatIsReady")
    assert [e["node"]["nativeId"] for e in ready["readyTasks"]["edges"]] == [blocker]
    assert [e["node"]["nativeId"] for e in ready["blockedTasks"]["edges"]] == [task]
    follow = await run(client, doc, "FollowWork", {"task": task})
    assert len(follow["dependencyTree"]["tasks"]) == 1
    assert len(follow["tasks"]["edges"]) == 1
    done = await run(client, doc, "RecordProgress", {"task": task, "agent": agent})
    assert done["closeTask"]["status"] == "CLOSED"
    assert done["endActivity"]["endedAt"]
    # closed now: the walk-through's OPEN filter leaves it out
    follow = await run(client, doc, "FollowWork", {"task": task})
    assert follow["tasks"]["edges"] == []
