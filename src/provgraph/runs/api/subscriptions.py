"""Live runs over graphql-transport-ws: what each recordRun batch added, run status changes."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from provgraph.core.api.context import Info
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.core.observe.events import EventBus
from provgraph.runs.api.types import ProvEdge, Run, RunNode
from provgraph.runs.service import RunService


@strawberry.type(description="What one recordRun batch added to a run, once it committed.")
class RunElementsAdded:
    run_id: str = strawberry.field(description="The run the batch belongs to.")
    edges: list[ProvEdge] = strawberry.field(description="The edges the batch created.")
    node_ids: strawberry.Private[tuple[str, ...]]

    @strawberry.field(description="The nodes the batch created, ordered by (step, id).")
    async def nodes(self, info: Info) -> list[RunNode]:
        found = await info.context.service(RunService).get_nodes(
            info.context.tenant, list(self.node_ids)
        )
        return [RunNode.of(n) for n in sorted(found, key=lambda n: (n.step, n.id))]


@strawberry.type
class RunSubscription:
    @strawberry.subscription(
        description="Nodes and edges added to a run, one event per committed recordRun batch "
        "(only batches that created something). Writes made through this process only."
    )
    async def run_elements_added(
        self, info: Info, run_id: str
    ) -> AsyncGenerator[RunElementsAdded, None]:
        bus = info.context.service(EventBus)
        async with bus.subscribe(info.context.tenant, {"run.elements"}, run_id) as events:
            async for event in events:
                info.context.fresh_loaders()
                yield RunElementsAdded(
                    run_id=event.key,
                    edges=[
                        ProvEdge(kind=EdgeKind(kind), source=source, target=target)
                        for source, kind, target in event.payload["edges"]
                    ],
                    node_ids=tuple(event.payload["nodes"]),
                )

    @strawberry.subscription(
        description="A run each time its status changes (and when it is first recorded); every "
        "run of the tenant when runId is null. Writes made through this process only."
    )
    async def run_status_changed(
        self, info: Info, run_id: str | None = None
    ) -> AsyncGenerator[Run, None]:
        bus = info.context.service(EventBus)
        service = info.context.service(RunService)
        async with bus.subscribe(info.context.tenant, {"run.status"}, run_id) as events:
            async for event in events:
                info.context.fresh_loaders()
                record = await service.get_run(info.context.tenant, event.key)
                if record is not None:
                    yield Run.of(record)
