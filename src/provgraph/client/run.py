"""A run being recorded: typed node methods, client-made ids, the buffer (no I/O here).

Ids are ``{run_id}/{n}`` with ``n`` the node's sequence number in the run, so the same
recording always names its nodes alike and a batch sent twice (a retry after a timeout or a
503) changes nothing: ``recordRun`` is idempotent on ids and content.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

Causes = str | Sequence[str] | None
# recordRun's own limits are far larger; a batch this size stays well under the body limit.
DEFAULT_BATCH_SIZE = 500

RECORD_RUN = """mutation($input: RecordRunInput!) {
  recordRun(input: $input) { nodesCreated nodesUnchanged edgesCreated edgesUnchanged changed }
}"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _json(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _ids(causes: Causes) -> list[str]:
    if causes is None:
        return []
    return [causes] if isinstance(causes, str) else list(causes)


@dataclass
class Sent:
    """What the server said about the batches sent so far."""

    batches: int = 0
    nodes_created: int = 0
    edges_created: int = 0
    unchanged_batches: int = 0


@dataclass
class RunBuffer:
    run_id: str
    agent_id: str | None = None
    session_id: str | None = None
    metadata: Mapping[str, Any] | str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE
    step: int = 0
    _seq: int = 0
    _nodes: list[dict[str, Any]] = field(default_factory=list)
    _edges: list[dict[str, Any]] = field(default_factory=list)
    _started: str = field(default_factory=_now)
    _status: str = "RUNNING"
    _ended: str | None = None
    # A batch taken from the buffer and not yet acknowledged (sent again as it was).
    pending: dict[str, Any] | None = None
    sent: Sent = field(default_factory=Sent)

    # --- nodes --------------------------------------------------------------------------

    def _node(self, kind: str, step: int | None, **fields: Any) -> str:
        node_id = f"{self.run_id}/{self._seq}"
        self._seq += 1
        node: dict[str, Any] = {
            "id": node_id,
            "kind": kind,
            "step": self.step if step is None else step,
            "createdAt": _now(),
        }
        node.update({k: v for k, v in fields.items() if v is not None})
        self._nodes.append(node)
        return node_id

    def edge(self, kind: str, source: str, target: str) -> None:
        """Any edge between two run nodes: ``source -kind-> target`` (``EdgeKind`` names)."""
        self._edges.append({"kind": kind.upper(), "source": source, "target": target})

    def _influenced(self, causes: Causes, node_id: str, kind: str = "INFLUENCED") -> None:
        for cause in _ids(causes):
            self.edge(kind, cause, node_id)

    def input(self, text: str, *, json: Any = None, step: int | None = None) -> str:
        """What the run was asked (a user prompt, a task)."""
        return self._node("INPUT", step, text=text, json=_json(json))

    def decision(
        self,
        text: str,
        *,
        causes: Causes = None,
        consumed: Causes = None,
        tokens: int | None = None,
        cost: float | None = None,
        latency_ms: int | None = None,
        json: Any = None,
        step: int | None = None,
    ) -> str:
        """A model call: opens the next step (unless ``step`` is given). ``causes`` influenced
        it; it consumed the memory facts in ``consumed``."""
        if step is None and self._seq > 0:
            self.step += 1
        node_id = self._node(
            "DECISION",
            step,
            text=text,
            tokens=tokens,
            cost=cost,
            latencyMs=latency_ms,
            json=_json(json),
        )
        self._influenced(causes, node_id)
        for fact in _ids(consumed):
            self.edge("CONSUMED", node_id, fact)
        return node_id

    def tool_call(
        self,
        name: str,
        arguments: Any = None,
        *,
        causes: Causes = None,
        latency_ms: int | None = None,
        step: int | None = None,
    ) -> str:
        """A tool call, triggered by ``causes`` (usually the decision that chose it)."""
        node_id = self._node(
            "TOOL_CALL", step, toolName=name, arguments=_json(arguments), latencyMs=latency_ms
        )
        self._influenced(causes, node_id, "TRIGGERED")
        return node_id

    def tool_result(
        self,
        call: str,
        text: str | None = None,
        *,
        json: Any = None,
        error: str | None = None,
        step: int | None = None,
    ) -> str:
        """What the tool call ``call`` produced (``error``: it failed)."""
        node_id = self._node(
            "TOOL_RESULT",
            step,
            text=text,
            json=_json(json),
            error=error,
            toolStatus="error" if error else "ok",
        )
        self.edge("PRODUCED", call, node_id)
        return node_id

    def memory_fact(self, text: str, *, causes: Causes = None, step: int | None = None) -> str:
        """Something the agent remembers (decisions name it in ``consumed``)."""
        node_id = self._node("MEMORY_FACT", step, text=text)
        self._influenced(causes, node_id)
        return node_id

    def observation(self, text: str, *, causes: Causes = None, step: int | None = None) -> str:
        node_id = self._node("OBSERVATION", step, text=text)
        self._influenced(causes, node_id)
        return node_id

    def output(self, text: str, *, causes: Causes = None, step: int | None = None) -> str:
        """What the run answered."""
        node_id = self._node("OUTPUT", step, text=text)
        self._influenced(causes, node_id)
        return node_id

    # --- batches ------------------------------------------------------------------------

    def finish(self, status: str = "SUCCEEDED") -> None:
        self._status = status.upper()
        self._ended = _now()

    @property
    def buffered(self) -> int:
        return len(self._nodes) + len(self._edges)

    @property
    def full(self) -> bool:
        return self.buffered >= self.batch_size

    def _run(self) -> dict[str, Any]:
        run: dict[str, Any] = {
            "id": self.run_id,
            "startedAt": self._started,
            "status": self._status,
        }
        if self._ended is not None:
            run["endedAt"] = self._ended
        if self.agent_id is not None:
            run["agentId"] = self.agent_id
        if self.session_id is not None:
            run["sessionId"] = self.session_id
        if self.metadata is not None:
            run["metadata"] = _json(self.metadata)
        return run

    def take(self, *, final: bool = False) -> dict[str, Any] | None:
        """The next batch to send: the pending one again, else the buffer's contents (None
        when there is nothing to send; a final batch is sent even when empty, for the run's
        status)."""
        if self.pending is None:
            if not self._nodes and not self._edges and not final:
                return None
            self.pending = {"run": self._run(), "nodes": self._nodes, "edges": self._edges}
            self._nodes, self._edges = [], []
        return self.pending

    def acknowledged(self, payload: Mapping[str, Any]) -> None:
        self.pending = None
        self.sent.batches += 1
        self.sent.nodes_created += int(payload.get("nodesCreated") or 0)
        self.sent.edges_created += int(payload.get("edgesCreated") or 0)
        self.sent.unchanged_batches += 0 if payload.get("changed") else 1
