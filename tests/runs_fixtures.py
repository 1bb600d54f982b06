"""A small agent run for tests: two steps, every node kind, every run edge kind."""

from __future__ import annotations

from typing import Any

import httpx

from tests.graphql_client import gql

RECORD = """
mutation($input: RecordRunInput!) {
  recordRun(input: $input) {
    run { runId nodeCount edgeCount rootDigest status }
    nodesCreated nodesUnchanged edgesCreated edgesUnchanged changed
  }
}
"""


def sample_run(
    run_id: str = "run-1", *, answer: str = "Paris", tool_result: str = "22C"
) -> dict[str, Any]:
    """input -> decision -> tool_call -> tool_result -> decision2 -> output; memory consumed."""
    p = f"{run_id}:"
    return {
        "run": {
            "id": run_id,
            "agentId": "agent-x",
            "status": "SUCCEEDED",
            "startedAt": "2026-01-01T00:00:00Z",
            "metadata": '{"model": "m1"}',
        },
        "nodes": [
            {
                "id": p + "in",
                "kind": "INPUT",
                "step": 0,
                "text": "What is the weather in the capital?",
            },
            {"id": p + "mem", "kind": "MEMORY_FACT", "step": 0, "text": "User lives in France"},
            {
                "id": p + "d1",
                "kind": "DECISION",
                "step": 1,
                "text": "Look up the weather",
                "tokens": 12,
                "cost": 0.001,
                "latencyMs": 40,
            },
            {
                "id": p + "call",
                "kind": "TOOL_CALL",
                "step": 1,
                "toolName": "weather",
                "arguments": '{"city": "Paris"}',
                "toolStatus": "ok",
            },
            {
                "id": p + "res",
                "kind": "TOOL_RESULT",
                "step": 1,
                "json": f'{{"temp": "{tool_result}"}}',
                "text": tool_result,
            },
            {"id": p + "obs", "kind": "OBSERVATION", "step": 2, "text": "It is mild"},
            {"id": p + "d2", "kind": "DECISION", "step": 2, "text": f"Answer {answer}"},
            {"id": p + "out", "kind": "OUTPUT", "step": 2, "text": f"{answer}: {tool_result}"},
        ],
        "edges": [
            {"kind": "INFLUENCED", "source": p + "in", "target": p + "d1"},
            {"kind": "CONSUMED", "source": p + "d1", "target": p + "mem"},
            {"kind": "TRIGGERED", "source": p + "d1", "target": p + "call"},
            {"kind": "PRODUCED", "source": p + "call", "target": p + "res"},
            {"kind": "INFLUENCED", "source": p + "res", "target": p + "obs"},
            {"kind": "INFLUENCED", "source": p + "obs", "target": p + "d2"},
            {"kind": "INFLUENCED", "source": p + "d2", "target": p + "out"},
        ],
    }


async def record(client: httpx.AsyncClient, batch: dict[str, Any]) -> dict[str, Any]:
    return await gql(client, RECORD, {"input": batch})
