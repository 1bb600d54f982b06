"""Per-request DataLoaders of the tracker, one batched query per kind of key."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from provgraph.core.api.context import Info
from provgraph.core.api.loaders import page_loader, request_loader
from provgraph.core.domain.paging import PageRequest, Slice
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.tracker.records import Activity, Agent, Comment, Edge, Task


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


def relation_pages(
    info: Info, kinds: tuple[EdgeKind, ...] | None, page: PageRequest
) -> DataLoader[str, Slice[Edge]]:
    """One page of each task's edges (both directions), per argument set."""
    service, tenant = info.context.services.tasks, info.context.tenant

    async def load(keys: list[str]) -> list[Slice[Edge]]:
        found = await service.relation_pages(tenant, keys, kinds, page)
        return [found.get(k, Slice()) for k in keys]

    return page_loader(info, "tracker.relations", (kinds, page), load)


def comment_pages(info: Info, page: PageRequest) -> DataLoader[str, Slice[Comment]]:
    """One page of each task's comments, oldest first, per argument set."""
    service, tenant = info.context.services.tasks, info.context.tenant

    async def load(keys: list[str]) -> list[Slice[Comment]]:
        found = await service.comment_pages(tenant, keys, page)
        return [found.get(k, Slice()) for k in keys]

    return page_loader(info, "tracker.comments", page, load)


def comment_by_id(info: Info) -> DataLoader[str, Comment | None]:
    service, tenant = info.context.services.tasks, info.context.tenant

    async def load(keys: list[str]) -> list[Comment | None]:
        found = await service.get_comments(tenant, keys)
        return [found.get(k) for k in keys]

    return request_loader(info, "tracker.comment_by_id", load)
