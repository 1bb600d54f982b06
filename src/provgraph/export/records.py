"""What an export holds: runs, their nodes and edges, and the agents they name (the export
area's own records, filled from the runs and tracker services; nothing here reads a database)."""

from __future__ import annotations

from dataclasses import dataclass, field

from provgraph.core.domain.vocabulary import EdgeKind


@dataclass(frozen=True, slots=True)
class ExportRun:
    id: str
    agent_id: str | None = None
    status: str | None = None
    started_at: int | None = None
    ended_at: int | None = None
    metadata: str | None = None
    session_id: str | None = None
    root_digest: str | None = None


@dataclass(frozen=True, slots=True)
class ExportNode:
    id: str
    kind: str
    run_id: str
    step: int
    text: str | None = None
    json: str | None = None
    occurred_at: int | None = None
    tokens: int | None = None
    cost: float | None = None
    latency_ms: int | None = None
    tool_name: str | None = None
    arguments: str | None = None
    tool_status: str | None = None
    error: str | None = None
    content_hash: str | None = None
    hash: str | None = None


@dataclass(frozen=True, slots=True)
class ExportEdge:
    """An edge in the client's orientation (``source -kind-> target``)."""

    kind: EdgeKind
    source: str
    target: str


@dataclass(frozen=True, slots=True)
class ExportAgent:
    id: str
    # human, ml, software; None for an agent id no tracker agent has.
    agent_kind: str | None = None
    name: str | None = None
    role: str | None = None
    provider: str | None = None
    model: str | None = None


@dataclass(frozen=True, slots=True)
class OtherNode:
    """A node of a traversal answer that is not a run node (a task, an activity…)."""

    id: str
    kind: str


@dataclass
class Graph:
    runs: list[ExportRun] = field(default_factory=list)
    nodes: list[ExportNode] = field(default_factory=list)
    edges: list[ExportEdge] = field(default_factory=list)
    agents: list[ExportAgent] = field(default_factory=list)
    others: list[OtherNode] = field(default_factory=list)

    @property
    def element_count(self) -> int:
        return len(self.runs) + len(self.nodes) + len(self.edges)
