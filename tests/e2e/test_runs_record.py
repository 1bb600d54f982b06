from __future__ import annotations

import httpx

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
