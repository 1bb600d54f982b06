"""The workload as a GraphQL client sends it: ``recordRun`` variables, batched or one by one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bench.workload import WEdge, WNode, WRun

RECORD_RUN = """
mutation RecordRun($input: RecordRunInput!) {
  recordRun(input: $input) { nodesCreated edgesCreated nodesUnchanged edgesUnchanged changed }
}
"""


def iso(ms: int) -> str:
    return (
        datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
    )


def run_input(run: WRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "agentId": run.agent_id,
        "status": "SUCCEEDED",
        "startedAt": iso(run.started_at_ms),
        "endedAt": iso(run.ended_at_ms),
        "metadata": run.metadata,
    }


def node_input(node: WNode) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": node.id,
        "kind": node.kind,
        "step": node.step,
        "createdAt": iso(node.created_at_ms),
        "text": node.text,
        "json": node.json,
        "tokens": node.tokens,
        "cost": node.cost,
        "latencyMs": node.latency_ms,
        "toolName": node.tool_name,
        "arguments": node.arguments,
        "toolStatus": node.tool_status,
        "error": node.error,
    }
    # Absent rather than null, as a client that only knows some fields sends them.
    return {k: v for k, v in fields.items() if v is not None}


def edge_input(edge: WEdge) -> dict[str, Any]:
    return {"kind": edge.kind.value.upper(), "source": edge.source, "target": edge.target}


def batch_variables(run: WRun) -> dict[str, Any]:
    """One ``recordRun`` holding the whole run."""
    return {
        "input": {
            "run": run_input(run),
            "nodes": [node_input(n) for n in run.nodes],
            "edges": [edge_input(e) for e in run.edges],
        }
    }


def naive_variables(run: WRun) -> list[dict[str, Any]]:
    """One ``recordRun`` per element, as a client that writes each thing as it happens:
    the run, then each node, then each edge (its ends already recorded)."""
    head = run_input(run)
    calls: list[dict[str, Any]] = [{"input": {"run": head}}]
    calls += [{"input": {"run": {"id": run.id}, "nodes": [node_input(n)]}} for n in run.nodes]
    calls += [{"input": {"run": {"id": run.id}, "edges": [edge_input(e)]}} for e in run.edges]
    return calls
