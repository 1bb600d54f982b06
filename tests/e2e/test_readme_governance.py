"""The README's governance walk-through (version, evaluate, gate, promote, detect drift, roll
back, audit), run as written against the real engine."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.test_readme_tracker import run

SECTION = "## Governance: version, evaluate, gate, promote, detect drift, roll back, audit"


def readme_operations(repo_root: Path) -> str:
    text = (repo_root / "README.md").read_text(encoding="utf-8")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return "\n".join(re.findall(r"```graphql\n(.*?)```", section, re.DOTALL))


async def failing(
    client: httpx.AsyncClient, document: str, name: str, variables: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": document, "operationName": name, "variables": variables}
    )
    body: dict[str, Any] = response.json()
    [error] = body["errors"]
    extensions: dict[str, Any] = error["extensions"]
    return extensions


async def test_readme_governance_walkthrough_runs(
    client: httpx.AsyncClient, repo_root: Path
) -> None:
    doc = readme_operations(repo_root)
    made = await run(client, doc, "Version")
    assert made["v2"]["version"]["supersedesId"] == "agent:support@1.0.0"
    assert made["setPromptLabel"]["version"]["labels"] == ["production"]
    assert made["publishPromptVersion"]["version"]["variables"] == ["question", "language"]
    actor = made["reviewer"]["nativeId"]

    changed = await run(client, doc, "WhatChanged")
    fields = [c["field"] for c in changed["agentVersionDiff"]["changes"]]
    assert fields == ["version", "system_prompt", "tools", "parameters"]
    assert changed["promptVersion"]["id"] == "prompt:answer@1.0.0"

    evaluated = await run(client, doc, "Evaluate")
    assert evaluated["good"]["aggregates"] == {"passRate": 1.0, "meanScore": 0.925}
    assert evaluated["worse"]["aggregates"]["passRate"] == 0.5
    assert evaluated["configureEnvironment"]["policy"] == {
        "minPassRate": 0.9,
        "minMeanScore": 0.85,
    }

    promoted = await run(client, doc, "Promote", {"actor": actor})
    assert promoted["promote"]["gatePassed"] is True

    # Without the override the worse version is refused, naming each failed criterion.
    no_override = re.sub(r",\s*override: \{[^}]*\}", "", doc)
    refused = await failing(client, no_override, "PromoteWorse", {"actor": actor})
    assert refused["code"] == "GATE_FAILED"
    assert refused["failed"] == ["pass_rate", "mean_score"]

    overridden = await run(client, doc, "PromoteWorse", {"actor": actor})
    assert overridden["promote"] == {
        "gatePassed": False,
        "failedCriteria": ["pass_rate", "mean_score"],
        "overrideReason": "hotfix, refund case known",
    }

    drift = (await run(client, doc, "Drift"))["evalDrift"]
    assert drift["passRateDelta"] == -0.5
    assert drift["severity"] == "HIGH"
    assert drift["regressed"] == [{"caseId": "refund"}]

    rolled = await run(client, doc, "RollBack", {"actor": actor})
    assert rolled["rollback"] == {
        "action": "ROLLBACK",
        "versionId": "agent:support@1.0.0",
        "previousVersionId": "agent:support@1.1.0",
    }
    history = await run(client, doc, "History")
    assert [e["node"]["action"] for e in history["deployments"]["edges"]] == [
        "ROLLBACK",
        "PROMOTE",
        "PROMOTE",
    ]

    audit = await run(client, doc, "Audit")
    events = [e["node"] for e in audit["auditEvents"]["edges"]]
    assert [e["action"] for e in events] == ["promote", "promote"]
    assert events[0]["seq"] < events[1]["seq"]
    assert "agent:support@1.1.0" in events[1]["targetIds"]
