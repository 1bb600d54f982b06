"""Canned rows, shaped as the catalog's ``// returns:`` columns of each query."""

from __future__ import annotations

from typing import Any

from tests.tck.recording import Row

T0 = 1_700_000_000_000  # 2023-11-14T22:13:20.000Z
T0_ISO = "2023-11-14T22:13:20.000Z"

NS = "tck"
TASK_A = "tck--01890a5d-ac96-774b-bcce-b302099a8057"
TASK_B = "tck--01890a5d-ac96-774b-bcce-b302099a8058"
TASK_C = "tck--01890a5d-ac96-774b-bcce-b302099a8059"
AGENT_H = "tck--01890a5d-ac96-774b-bcce-b302099a8101"
AGENT_ML = "tck--01890a5d-ac96-774b-bcce-b302099a8102"
AGENT_SW = "tck--01890a5d-ac96-774b-bcce-b302099a8103"
ACTIVITY = "tck--01890a5d-ac96-774b-bcce-b302099a8201"
COMMENT = "tck--01890a5d-ac96-774b-bcce-b302099a8301"


def task(task_id: str = TASK_A, **changes: Any) -> Row:
    row: Row = {
        "id": task_id,
        "namespace": NS,
        "title": f"title of {task_id[-4:]}",
        "description": "",
        "type": "task",
        "status": "open",
        "priority": 2,
        "phase": "unscoped",
        "owner": None,
        "notes": None,
        "labels": [],
        "close_reason": None,
        "created_at": T0,
        "updated_at": T0,
        "closed_at": None,
    }
    row.update(changes)
    return row


def agent(agent_id: str = AGENT_H, kind: str = "human", **changes: Any) -> Row:
    row: Row = {
        "id": agent_id,
        "agent_kind": kind,
        "created_at": T0,
        "name": "Ada" if kind != "ml" else None,
        "contact": None,
        "role": "worker" if kind == "ml" else None,
        "provider": "anthropic" if kind == "ml" else None,
        "model": "claude-opus-4-6" if kind == "ml" else None,
        "version": None,
        "source": None,
    }
    row.update(changes)
    return row


def activity(activity_id: str = ACTIVITY, agent_id: str = AGENT_H, **changes: Any) -> Row:
    row: Row = {
        "id": activity_id,
        "agent_id": agent_id,
        "phase": "unscoped",
        "stage": "in_progress",
        "notes": None,
        "started_at": T0,
        "ended_at": None,
    }
    row.update(changes)
    return row


def comment(comment_id: str = COMMENT, task_id: str = TASK_A, seq: int = 1) -> Row:
    return {
        "id": comment_id,
        "task_id": task_id,
        "author_id": AGENT_H,
        "body": "a remark",
        "created_at": T0,
        "seq": seq,
    }


def run(run_id: str = "run-1", **changes: Any) -> Row:
    row: Row = {
        "id": run_id,
        "agent_id": None,
        "status": "running",
        "started_at": T0,
        "ended_at": None,
        "metadata": None,
        "session_id": None,
        "root_digest": None,
        "node_count": 0,
        "edge_count": 0,
        "created_at": T0,
    }
    row.update(changes)
    return row


def node(node_id: str, run_id: str = "run-1", step: int = 1, kind: str = "decision") -> Row:
    return {
        "id": node_id,
        "kind": kind,
        "run_id": run_id,
        "step": step,
        "text": f"text of {node_id}",
        "json": None,
        "created_at": T0,
        "occurred_at": None,
        "tokens": None,
        "cost": None,
        "latency_ms": None,
        "tool_name": None,
        "arguments": None,
        "tool_status": None,
        "error": None,
        "hash": "h",
        "content_hash": "c",
    }


def reached(
    from_id: str,
    rel: str,
    node_id: str,
    kind: str = "decision",
    run_id: str = "run-1",
    **content: Any,
) -> Row:
    """A row of the ``expand_*`` level queries: the frontier node ``from_id`` with one edge
    ``from_id -rel-> node_id`` (stored) in ``reached``, the reached node's ``content``
    columns (``text``, ``tokens``, ...) beside its kind, step and run."""
    edge = {"type": rel, "id": node_id, "kind": kind, "step": 1, "run_id": run_id}
    return {"from_id": from_id, "reached": [{**edge, **content}]}


def page(rows: list[Row], total: int | None = None) -> list[Row]:
    """The one ``total, page`` row of a list query that counts in the same query."""
    return [{"total": len(rows) if total is None else total, "page": rows}]
