"""recordRun without Strawberry's per-field argument conversion.

GraphQL-core has already coerced and validated the input against ``RecordRunInput`` when a
resolver runs; Strawberry then rebuilds every nested input object field by field, which costs
seconds per 5,000-node batch (measured with cProfile: ``strawberry.types.arguments.
convert_argument`` was the largest Python cost of ingest). Here the schema's ``recordRun`` resolves
from the coerced dicts directly; the SDL, validation and errors are unchanged, and the Strawberry
resolver in ``resolvers.py`` stays the declared one (and does the same when this is not installed).
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo

from provgraph.core.api.context import Context
from provgraph.core.api.permissions import READ_ONLY
from provgraph.core.domain.errors import BadUserInput, Forbidden
from provgraph.core.domain.timefmt import parse_iso
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.runs.api.types import RecordRunPayload, Run
from provgraph.runs.rules import Batch, EdgeSpec, NodeSpec, RunNodeKind, RunSpec, RunStatus
from provgraph.runs.service import RunService

_KINDS = {k.value: k for k in RunNodeKind}
_EDGE_KINDS = {k.value: k for k in EdgeKind}


def batch_from_raw(value: dict[str, Any]) -> Batch:
    """The coerced ``RecordRunInput`` (GraphQL names, enum values) as the domain's batch."""
    run = value["run"]
    status = run.get("status")
    spec = RunSpec(
        id=run["id"],
        agent_id=run.get("agentId"),
        status=RunStatus(status) if status is not None else None,
        started_at=parse_iso(run.get("startedAt"), "run.startedAt"),
        ended_at=parse_iso(run.get("endedAt"), "run.endedAt"),
        metadata=run.get("metadata"),
    )
    nodes = []
    for i, n in enumerate(value.get("nodes") or ()):
        created = n.get("createdAt")
        try:
            occurred = None if created is None else parse_iso(created, f"nodes[{i}].createdAt")
        except BadUserInput as exc:
            raise BadUserInput(exc.message, item="node", index=i, id=n["id"]) from None
        nodes.append(
            NodeSpec(
                index=i,
                id=n["id"],
                kind=_KINDS[n["kind"]],
                step=n["step"],
                text=n.get("text"),
                json=n.get("json"),
                occurred_at=occurred,
                tokens=n.get("tokens"),
                cost=n.get("cost"),
                latency_ms=n.get("latencyMs"),
                tool_name=n.get("toolName"),
                arguments=n.get("arguments"),
                tool_status=n.get("toolStatus"),
                error=n.get("error"),
            )
        )
    edges = [
        EdgeSpec(index=i, kind=_EDGE_KINDS[e["kind"]], source=e["source"], target=e["target"])
        for i, e in enumerate(value.get("edges") or ())
    ]
    return Batch(run=spec, nodes=nodes, edges=edges)


async def record(context: Context, batch: Batch) -> RecordRunPayload:
    if context.principal.read_only:  # this path bypasses the field's CanWrite
        raise Forbidden(READ_ONLY)
    result = await context.service(RunService).record(context.tenant, batch)
    return RecordRunPayload(
        run=Run.of(result.run),
        nodes_created=result.nodes_created,
        nodes_unchanged=result.nodes_unchanged,
        edges_created=result.edges_created,
        edges_unchanged=result.edges_unchanged,
        changed=result.changed,
    )


async def _resolve_record_run(
    _root: Any, info: GraphQLResolveInfo[Context], input: dict[str, Any]
) -> RecordRunPayload:
    context: Context = info.context
    return await record(context, batch_from_raw(input))


def install(schema: strawberry.Schema) -> None:
    """Point the built schema's ``recordRun`` at the direct resolver."""
    mutation = schema._schema.mutation_type
    if isinstance(mutation, GraphQLObjectType) and "recordRun" in mutation.fields:
        mutation.fields["recordRun"].resolve = _resolve_record_run
