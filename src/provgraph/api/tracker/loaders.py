"""Per-request DataLoaders of the tracker, one batched query per kind of key."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from provgraph.api.context import Info
from provgraph.api.loaders import request_loader
from provgraph.domain.tracker import Activity, Agent, Comment, Edge, Task


def tasks(info: Info) -> DataLoader[str, Task | None]:
    service, tenant = info.context.services.tasks, info.context.tenant

    async def load(keys: list[str]) -> list[Task | None]:
        found = await service.get_many(tenant, keys)
        return [found.get(k) for k in keys]

    return request_loader(info, "tracker.tasks", load)


def agents(info: Info) -> DataLoader[str, Agent | None]:
    service, tenant = info.context.services.agents, info.context.tenant

    async def load(keys: list[str]) -> list[Agent | None]:
        found = await service.get_many(tenant, keys)
        return [found.get(k) for k in keys]

    return request_loader(info, "tracker.agents", load)


def activities(info: Info) -> DataLoader[str, Activity | None]:
    service, tenant = info.context.services.agents, info.context.tenant

    async def load(keys: list[str]) -> list[Activity | None]:
        found = await service.get_activities(tenant, keys)
        return [found.get(k) for k in keys]

    return request_loader(info, "tracker.activities", load)


def edges(info: Info) -> DataLoader[str, list[Edge]]:
    """Every tracker edge touching each task (both directions)."""
    service, tenant = info.context.services.tasks, info.context.tenant

    async def load(keys: list[str]) -> list[list[Edge]]:
        grouped: dict[str, list[Edge]] = {k: [] for k in keys}
        for task_id, edge in await service.edges_of(tenant, keys):
            grouped[task_id].append(edge)
        return [grouped[k] for k in keys]

    return request_loader(info, "tracker.edges", load)


def comments(info: Info) -> DataLoader[str, list[Comment]]:
    """Each task's comments, oldest first."""
    service, tenant = info.context.services.tasks, info.context.tenant

    async def load(keys: list[str]) -> list[list[Comment]]:
        grouped: dict[str, list[Comment]] = {k: [] for k in keys}
        for comment in await service.comments_of(tenant, keys):
            grouped[comment.task_id].append(comment)
        return [grouped[k] for k in keys]

    return request_loader(info, "tracker.comments", load)


def comment_by_id(info: Info) -> DataLoader[str, Comment | None]:
    service, tenant = info.context.services.tasks, info.context.tenant

    async def load(keys: list[str]) -> list[Comment | None]:
        found = await service.get_comments(tenant, keys)
        return [found.get(k) for k in keys]

    return request_loader(info, "tracker.comment_by_id", load)
