"""The tracker's per-request DataLoaders, one batched query per kind of key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from strawberry.dataloader import DataLoader

from provgraph.core.api.context import Context, Info
from provgraph.core.api.loaders import LoadFn, PageLoaders
from provgraph.core.domain.paging import PageRequest, Slice
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.tracker.records import Activity, Agent, Comment, Task, TaskEdge
from provgraph.tracker.service import AgentService, TaskService

RelationArgs = tuple[tuple[EdgeKind, ...] | None, PageRequest]


@dataclass(frozen=True)
class TrackerLoaders:
    tasks: DataLoader[str, Task | None]
    agents: DataLoader[str, Agent | None]
    activities: DataLoader[str, Activity | None]
    comments: DataLoader[str, Comment | None]
    # One page of each task's edges (both directions) per argument set.
    relation_pages: PageLoaders[RelationArgs, str, Slice[TaskEdge]]
    # One page of each task's comments, oldest first, per argument set.
    comment_pages: PageLoaders[PageRequest, str, Slice[Comment]]

    @classmethod
    def create(cls, context: Context) -> Self:
        tasks, agents = context.service(TaskService), context.service(AgentService)
        tenant = context.tenant

        async def load_tasks(keys: list[str]) -> list[Task | None]:
            found = await tasks.get_many(tenant, keys)
            return [found.get(k) for k in keys]

        async def load_agents(keys: list[str]) -> list[Agent | None]:
            found = await agents.get_many(tenant, keys)
            return [found.get(k) for k in keys]

        async def load_activities(keys: list[str]) -> list[Activity | None]:
            found = await agents.get_activities(tenant, keys)
            return [found.get(k) for k in keys]

        async def load_comments(keys: list[str]) -> list[Comment | None]:
            found = await tasks.get_comments(tenant, keys)
            return [found.get(k) for k in keys]

        def relation_pages(args: RelationArgs) -> LoadFn[str, Slice[TaskEdge]]:
            kinds, page = args

            async def load(keys: list[str]) -> list[Slice[TaskEdge]]:
                found = await tasks.relation_pages(tenant, keys, kinds, page)
                return [found.get(k, Slice()) for k in keys]

            return load

        def comment_pages(page: PageRequest) -> LoadFn[str, Slice[Comment]]:
            async def load(keys: list[str]) -> list[Slice[Comment]]:
                found = await tasks.comment_pages(tenant, keys, page)
                return [found.get(k, Slice()) for k in keys]

            return load

        return cls(
            tasks=DataLoader(load_fn=load_tasks),
            agents=DataLoader(load_fn=load_agents),
            activities=DataLoader(load_fn=load_activities),
            comments=DataLoader(load_fn=load_comments),
            relation_pages=PageLoaders(relation_pages),
            comment_pages=PageLoaders(comment_pages),
        )


def loaders(info: Info) -> TrackerLoaders:
    return info.context.loaders(TrackerLoaders)
