"""Live task board over graphql-transport-ws: a task each time it changes."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from enum import Enum

import strawberry

from provgraph.core.api.context import Info
from provgraph.core.observe.events import EventBus
from provgraph.tracker.api.types import Task
from provgraph.tracker.service import TaskService


@strawberry.enum(description="What changed on a task.")
class TaskChangeKind(Enum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    CLOSED = "CLOSED"
    LABELED = "LABELED"
    COMMENTED = "COMMENTED"
    RELATIONS = "RELATIONS"


@strawberry.type(description="A task as it is after a change.")
class TaskChange:
    change: TaskChangeKind
    task: Task


@strawberry.type
class TrackerSubscription:
    @strawberry.subscription(
        description="Tasks as they change (created, updated, closed, labelled, commented, a "
        "relation added or removed); every task of the tenant when taskId is null. Writes made "
        "through this process only."
    )
    async def task_changed(
        self, info: Info, task_id: str | None = None
    ) -> AsyncGenerator[TaskChange, None]:
        bus = info.context.service(EventBus)
        service = info.context.service(TaskService)
        async with bus.subscribe(info.context.tenant, {"task"}, task_id) as events:
            async for event in events:
                info.context.fresh_loaders()
                found = await service.get(info.context.tenant, event.key)
                if found is not None:
                    yield TaskChange(
                        change=TaskChangeKind(event.payload["change"]), task=Task.of(found)
                    )
