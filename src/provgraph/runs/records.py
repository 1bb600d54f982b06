"""The run area's records: what the repository returns, immutable (frozen dataclasses, the
one record convention of the project)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from provgraph.core.domain.vocabulary import REL_TO_KIND, EdgeKind

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class RunRecord:
    id: str
    agent_id: str | None = None
    status: str | None = None
    started_at: int | None = None
    ended_at: int | None = None
    metadata: str | None = None
    session_id: str | None = None
    root_digest: str | None = None
    node_count: int = 0
    edge_count: int = 0
    created_at: int | None = None
    labels: tuple[str, ...] = ()
    # Aggregates of the run's nodes, kept on the run as nodes are recorded.
    tool_names: tuple[str, ...] = ()
    error_count: int = 0
    tokens_total: int = 0
    cost_total: float = 0.0
    latency_total: int = 0

    @property
    def sort_at(self) -> int:
        """What run lists order by: the start time, or when it was first recorded."""
        return self.started_at if self.started_at is not None else (self.created_at or 0)

    @classmethod
    def from_row(cls, row: Row) -> RunRecord:
        return cls(
            id=row["id"],
            agent_id=row.get("agent_id"),
            status=row.get("status"),
            started_at=row.get("started_at"),
            ended_at=row.get("ended_at"),
            metadata=row.get("metadata"),
            session_id=row.get("session_id"),
            root_digest=row.get("root_digest"),
            node_count=row.get("node_count") or 0,
            edge_count=row.get("edge_count") or 0,
            created_at=row.get("created_at"),
            labels=tuple(row.get("labels") or ()),
            tool_names=tuple(sorted(row.get("tool_names") or ())),
            error_count=row.get("error_count") or 0,
            tokens_total=row.get("tokens_total") or 0,
            cost_total=float(row.get("cost_total") or 0.0),
            latency_total=row.get("latency_total") or 0,
        )


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A session (conversation, thread): the runs that carry its id, summed up."""

    id: str
    runs: int
    first_at: int
    last_at: int
    ended_at: int | None = None
    agent_ids: tuple[str, ...] = ()
    errors: int = 0
    failed_runs: int = 0

    @classmethod
    def from_row(cls, row: Row) -> SessionRecord:
        return cls(
            id=row["id"],
            runs=int(row["runs"]),
            first_at=int(row["first_at"]),
            last_at=int(row["last_at"]),
            ended_at=row.get("ended_at"),
            agent_ids=tuple(sorted(a for a in row.get("agent_ids") or () if a is not None)),
            errors=int(row.get("errors") or 0),
            failed_runs=int(row.get("failed_runs") or 0),
        )


class NodeContent(Enum):
    """Which node properties a read brings besides id, kind, run and step."""

    NONE = "none"
    TEXT = "text"  # the text only
    ALL = "all"  # every content field of NodeRecord


@dataclass(frozen=True, slots=True)
class NodeRecord:
    id: str
    kind: str
    run_id: str
    step: int
    text: str | None = None
    json_text: str | None = None
    created_at: int | None = None
    occurred_at: int | None = None
    tokens: int | None = None
    cost: float | None = None
    latency_ms: int | None = None
    tool_name: str | None = None
    arguments: str | None = None
    tool_status: str | None = None
    error: str | None = None
    hash: str | None = None
    content_hash: str | None = None

    @classmethod
    def from_row(cls, row: Row) -> NodeRecord:
        get = row.get
        return cls(
            id=row["id"],
            kind=row["kind"],
            run_id=row["run_id"],
            step=row["step"],
            text=get("text"),
            json_text=get("json"),
            created_at=get("created_at"),
            occurred_at=get("occurred_at"),
            tokens=get("tokens"),
            cost=get("cost"),
            latency_ms=get("latency_ms"),
            tool_name=get("tool_name"),
            arguments=get("arguments"),
            tool_status=get("tool_status"),
            error=get("error"),
            hash=get("hash"),
            content_hash=get("content_hash"),
        )

    def content(self) -> dict[str, Any]:
        """The hashed content fields, as ``runs.rules.content_hash`` reads them."""
        return {
            "id": self.id,
            "kind": self.kind,
            "run_id": self.run_id,
            "step": self.step,
            "text": self.text,
            "json": self.json_text,
            "occurred_at": self.occurred_at,
            "tokens": self.tokens,
            "cost": self.cost,
            "latency_ms": self.latency_ms,
            "tool_name": self.tool_name,
            "arguments": self.arguments,
            "tool_status": self.tool_status,
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class ExistingNode:
    """What a write needs to know of a node that is already stored."""

    id: str
    kind: str | None = None
    run_id: str | None = None
    content_hash: str | None = None
    hash: str | None = None
    created_at: int | None = None

    @classmethod
    def from_row(cls, row: Row) -> ExistingNode:
        get = row.get
        return cls(
            row["id"],
            get("kind"),
            get("run_id"),
            get("content_hash"),
            get("hash"),
            get("created_at"),
        )


@dataclass(frozen=True, slots=True)
class WrittenBatch:
    """What one write statement stored: each of its runs after it (by id), and what it created
    in all."""

    runs: dict[str, RunRecord]
    nodes_created: int
    edges_created: int


@dataclass(frozen=True, slots=True)
class StoredEdge:
    """An edge as stored: effect -type-> cause."""

    effect: str
    type: str
    cause: str
    cause_hash: str | None = None
    sealed: bool | None = None
    created_at: int | None = None

    @classmethod
    def from_row(cls, row: Row) -> StoredEdge:
        return cls(
            row["effect"],
            row["type"],
            row["cause"],
            row.get("cause_hash"),
            row.get("sealed"),
            row.get("created_at"),
        )


@dataclass(frozen=True, slots=True)
class RunEdge:
    """An edge in the client's orientation."""

    kind: EdgeKind
    source: str
    target: str

    @classmethod
    def from_stored(cls, effect: str, rel_type: str, cause: str) -> RunEdge:
        return cls(*oriented(effect, rel_type, cause))


def oriented(effect: str, rel_type: str, cause: str) -> tuple[EdgeKind, str, str]:
    """A stored edge as (kind, source, target) in the client's orientation (``RunEdge``'s
    fields, without making one)."""
    kind, source_is_effect = _ORIENTATION[rel_type]
    if source_is_effect:
        return kind, effect, cause
    return kind, cause, effect


def all_oriented(stored: Iterable[tuple[str, str, str]]) -> list[tuple[EdgeKind, str, str]]:
    """``oriented`` of each (effect, relationship type, cause), in one loop (thousands)."""
    orientation = _ORIENTATION
    out: list[tuple[EdgeKind, str, str]] = []
    add = out.append
    for effect, rel_type, cause in stored:
        kind, source_is_effect = orientation[rel_type]
        add((kind, effect, cause) if source_is_effect else (kind, cause, effect))
    return out


# Stored relationship type -> (edge kind, whether the source is the effect): one dict lookup
# per edge (traversal answers hold thousands; enum lookups cost more).
_ORIENTATION: dict[str, tuple[EdgeKind, bool]] = {
    rel.value: (kind, kind.spec.source_is_effect) for rel, kind in REL_TO_KIND.items()
}
