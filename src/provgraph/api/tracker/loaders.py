"""Per-request DataLoaders of the tracker (made lazily in ``info.context.loaders``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader

from provgraph.api.context import Info
from provgraph.domain.tracker import Activity, Agent, Comment, Edge, Task

V = TypeVar("V")


def _loader(
    info: Info, name: str, make: Callable[[str], Callable[[list[str]], Awaitable[list[V]]]]
) -> DataLoader[str, V]:
    loaders = info.context.loaders
    if name not in loaders:
        loaders[name] = DataLoader(load_fn=make(info.context.tenant))
    found: DataLoader[str, V] = loaders[name]
    return found


def _by_key(found: dict[str, V], keys: Sequence[str]) -> list[V | None]:
    return [found.get(k) for k in keys]


def tasks(info: Info) -> DataLoader[str, Task | None]:
    service = info.context.services.tasks

    def make(tenant: str) -> Callable[[list[str]], Awaitable[list[Task | None]]]:
        async def load(keys: list[str]) -> list[Task | None]:
            return _by_key(await service.get_many(tenant, keys), keys)

        return load

    return _loader(info, "tracker.tasks", make)


def agents(info: Info) -> DataLoader[str, Agent | None]:
    service = info.context.services.agents

    def make(tenant: str) -> Callable[[list[str]], Awaitable[list[Agent | None]]]:
        async def load(keys: list[str]) -> list[Agent | None]:
            return _by_key(await service.get_many(tenant, keys), keys)

        return load

    return _loader(info, "tracker.agents", make)


def activities(info: Info) -> DataLoader[str, Activity | None]:
    service = info.context.services.agents

    def make(tenant: str) -> Callable[[list[str]], Awaitable[list[Activity | None]]]:
        async def load(keys: list[str]) -> list[Activity | None]:
            return _by_key(await service.get_activities(tenant, keys), keys)

        return load

    return _loader(info, "tracker.activities", make)


def edges(info: Info) -> DataLoader[str, list[Edge]]:
    service = info.context.services.tasks

    def make(tenant: str) -> Callable[[list[str]], Awaitable[list[list[Edge]]]]:
        async def load(keys: list[str]) -> list[list[Edge]]:
            grouped: dict[str, list[Edge]] = {k: [] for k in keys}
            for task_id, edge in await service.edges_of(tenant, keys):
                grouped[task_id].append(edge)
            return [grouped[k] for k in keys]

        return load

    return _loader(info, "tracker.edges", make)


def comments(info: Info) -> DataLoader[str, list[Comment]]:
    service = info.context.services.tasks

    def make(tenant: str) -> Callable[[list[str]], Awaitable[list[list[Comment]]]]:
        async def load(keys: list[str]) -> list[list[Comment]]:
            grouped: dict[str, list[Comment]] = {k: [] for k in keys}
            for comment in await service.comments_of(tenant, keys):
                grouped[comment.task_id].append(comment)
            return [grouped[k] for k in keys]

        return load

    return _loader(info, "tracker.comments", make)
