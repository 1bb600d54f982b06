"""GraphQL inputs of recordRun, turned into the domain's batch."""

from __future__ import annotations

import strawberry

from provgraph.core.domain.timefmt import parse_iso
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.runs.api import types as _types  # noqa: F401  (registers the enums)
from provgraph.runs.rules import Batch, EdgeSpec, NodeSpec, RunNodeKind, RunSpec, RunStatus


@strawberry.input(description="The run a batch belongs to; given fields update it.")
class RunInput:
    id: str
    agent_id: str | None = None
    status: RunStatus | None = None
    started_at: str | None = strawberry.field(default=None, description="ISO-8601 with zone.")
    ended_at: str | None = None
    metadata: str | None = strawberry.field(default=None, description="A JSON string.")


@strawberry.input(description="One node of a run. Re-sending the same id and content is a no-op.")
class RunNodeInput:
    id: str
    kind: RunNodeKind
    step: int
    text: str | None = None
    json: str | None = strawberry.field(default=None, description="A JSON string.")
    created_at: str | None = strawberry.field(
        default=None, description="When it happened (ISO-8601); default: when recorded."
    )
    tokens: int | None = None
    cost: float | None = None
    latency_ms: int | None = None
    tool_name: str | None = None
    arguments: str | None = strawberry.field(default=None, description="A JSON string.")
    tool_status: str | None = None
    error: str | None = None


@strawberry.input(description="An edge as the client says it: source -kind-> target.")
class ProvEdgeInput:
    kind: EdgeKind
    source: str
    target: str


@strawberry.input(description="A whole run or any slice of it, recorded all or nothing.")
class RecordRunInput:
    run: RunInput
    nodes: list[RunNodeInput] = strawberry.field(default_factory=list)
    edges: list[ProvEdgeInput] = strawberry.field(default_factory=list)

    def to_batch(self) -> Batch:
        run = RunSpec(
            id=self.run.id,
            agent_id=self.run.agent_id,
            status=self.run.status,
            started_at=parse_iso(self.run.started_at, "run.startedAt"),
            ended_at=parse_iso(self.run.ended_at, "run.endedAt"),
            metadata=self.run.metadata,
        )
        nodes = [
            NodeSpec(
                index=i,
                id=n.id,
                kind=n.kind,
                step=n.step,
                text=n.text,
                json=n.json,
                occurred_at=parse_iso(n.created_at, f"nodes[{i}].createdAt"),
                tokens=n.tokens,
                cost=n.cost,
                latency_ms=n.latency_ms,
                tool_name=n.tool_name,
                arguments=n.arguments,
                tool_status=n.tool_status,
                error=n.error,
            )
            for i, n in enumerate(self.nodes)
        ]
        edges = [
            EdgeSpec(index=i, kind=e.kind, source=e.source, target=e.target)
            for i, e in enumerate(self.edges)
        ]
        return Batch(run=run, nodes=nodes, edges=edges)
