"""GraphQL inputs of recordRun, and the one conversion of its value into the domain's batch.

The input types below declare the SDL. Their values are never built field by field: the
``from_input`` hook of ``RecordRunInput``'s Strawberry definition (a documented field of
``StrawberryObjectDefinition``: "builds a value of this type from a GraphQL input value") turns
the value graphql-core has already coerced and validated (GraphQL field names, enum values)
into a ``Batch`` in one pass. Strawberry's default conversion rebuilds every nested input
object through ``convert_argument``, which for a 5,000-node batch cost ~440 ms of the ~560 ms
the GraphQL layer spent (see README, "recordRun input conversion"). The resolver declares its
argument as ``Batch`` with ``graphql_type=RecordRunInput``, so Python types stay honest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from strawberry.types import get_object_definition
from strawberry.types.arguments import InputContext

from provgraph.core.domain.errors import BadUserInput
from provgraph.core.domain.timefmt import parse_iso
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.runs.api import types as _types  # noqa: F401  (registers the enums)
from provgraph.runs.find import RunFilter, RunOrder, SessionFilter
from provgraph.runs.rules import Batch, EdgeSpec, NodeSpec, RunNodeKind, RunSpec, RunStatus


@strawberry.input(description="The run a batch belongs to; given fields update it.")
class RunInput:
    id: str
    agent_id: str | None = None
    status: RunStatus | None = None
    started_at: str | None = strawberry.field(default=None, description="ISO-8601 with zone.")
    ended_at: str | None = None
    metadata: str | None = strawberry.field(default=None, description="A JSON string.")
    session_id: str | None = strawberry.field(
        default=None, description="The conversation or thread the run belongs to."
    )


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


_KINDS: dict[str, RunNodeKind] = {k.value: k for k in RunNodeKind}
_EDGE_KINDS: dict[str, EdgeKind] = {k.value: k for k in EdgeKind}


def _occurred_at(node: Mapping[str, Any], index: int) -> int | None:
    created = node.get("createdAt")
    if created is None:
        return None
    try:
        return parse_iso(created, f"nodes[{index}].createdAt")
    except BadUserInput as exc:
        # A node's problem is located like every other batch item's (validate_batch).
        raise BadUserInput(exc.message, item="node", index=index, id=node["id"][:200]) from None


def batch_from_input(value: Mapping[str, Any]) -> Batch:
    """A coerced ``RecordRunInput`` value (GraphQL field names, enum values) as the batch."""
    run = value["run"]
    status = run.get("status")
    spec = RunSpec(
        id=run["id"],
        agent_id=run.get("agentId"),
        status=None if status is None else RunStatus(status),
        started_at=parse_iso(run.get("startedAt"), "run.startedAt"),
        ended_at=parse_iso(run.get("endedAt"), "run.endedAt"),
        metadata=run.get("metadata"),
        session_id=run.get("sessionId"),
    )
    nodes = [
        NodeSpec(
            index=i,
            id=n["id"],
            kind=_KINDS[n["kind"]],
            step=n["step"],
            text=n.get("text"),
            json=n.get("json"),
            occurred_at=_occurred_at(n, i),
            tokens=n.get("tokens"),
            cost=n.get("cost"),
            latency_ms=n.get("latencyMs"),
            tool_name=n.get("toolName"),
            arguments=n.get("arguments"),
            tool_status=n.get("toolStatus"),
            error=n.get("error"),
        )
        for i, n in enumerate(value.get("nodes") or ())
    ]
    edges = [
        EdgeSpec(index=i, kind=_EDGE_KINDS[e["kind"]], source=e["source"], target=e["target"])
        for i, e in enumerate(value.get("edges") or ())
    ]
    return Batch(run=spec, nodes=nodes, edges=edges)


def _from_input(_cls: type, value: Mapping[str, Any], _context: InputContext) -> Batch:
    return batch_from_input(value)


get_object_definition(RecordRunInput, strict=True).from_input = _from_input


strawberry.enum(RunOrder, name="RunOrder", description="How a run list is ordered.")


@strawberry.input(description="Which runs a run list keeps; every field is optional (null: any).")
class RunFilterInput:
    agent_id: str | None = strawberry.field(default=None, description="Runs of this agent id.")
    status: list[RunStatus] | None = strawberry.field(
        default=None, description="Runs in any of these states."
    )
    started_after: str | None = strawberry.field(
        default=None, description="Started at or after this ISO-8601 time (inclusive)."
    )
    started_before: str | None = strawberry.field(
        default=None, description="Started before this ISO-8601 time (exclusive)."
    )
    ended_after: str | None = strawberry.field(
        default=None, description="Ended at or after this ISO-8601 time (inclusive)."
    )
    ended_before: str | None = strawberry.field(
        default=None, description="Ended before this ISO-8601 time (exclusive)."
    )
    label: str | None = strawberry.field(default=None, description="Runs with this label.")
    metadata_key: str | None = strawberry.field(
        default=None,
        description="With metadataValue: runs whose metadata has this top-level key with that "
        "value (strings as written; numbers, booleans and null as JSON, e.g. `1`, `true`).",
    )
    metadata_value: str | None = strawberry.field(default=None)
    tool_name: str | None = strawberry.field(
        default=None, description="Runs with a node that used this tool."
    )
    has_error: bool | None = strawberry.field(
        default=None,
        description="true: runs that failed or recorded a node with an error (or tool status "
        "`error`); false: the others.",
    )
    session_id: str | None = strawberry.field(default=None, description="Runs of this session.")

    def to_filter(self) -> RunFilter:
        return RunFilter(
            agent_id=self.agent_id,
            statuses=tuple(self.status or ()),
            started_after=parse_iso(self.started_after, "filter.startedAfter"),
            started_before=parse_iso(self.started_before, "filter.startedBefore"),
            ended_after=parse_iso(self.ended_after, "filter.endedAfter"),
            ended_before=parse_iso(self.ended_before, "filter.endedBefore"),
            label=self.label,
            metadata_key=self.metadata_key,
            metadata_value=self.metadata_value,
            tool_name=self.tool_name,
            has_error=self.has_error,
            session_id=self.session_id,
        )


@strawberry.input(description="Which sessions a session list keeps; every field is optional.")
class SessionFilterInput:
    agent_id: str | None = strawberry.field(
        default=None, description="Sessions with a run of this agent id."
    )
    active_after: str | None = strawberry.field(
        default=None, description="Sessions with a run started at or after this ISO-8601 time."
    )
    active_before: str | None = strawberry.field(
        default=None, description="Sessions with a run started before this ISO-8601 time."
    )

    def to_filter(self) -> SessionFilter:
        return SessionFilter(
            agent_id=self.agent_id,
            active_after=parse_iso(self.active_after, "filter.activeAfter"),
            active_before=parse_iso(self.active_before, "filter.activeBefore"),
        )
