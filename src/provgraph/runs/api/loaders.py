"""The run area's per-request DataLoaders: one ``UNWIND $ids`` query per batch of keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from strawberry.dataloader import DataLoader

from provgraph.core.api.context import Context, Info
from provgraph.core.api.loaders import LoadFn, PageLoaders
from provgraph.core.domain.paging import PageRequest, Slice
from provgraph.runs.find import Rollup
from provgraph.runs.records import NodeRecord, RunEdge, RunRecord, SessionRecord
from provgraph.runs.rules import RunNodeKind
from provgraph.runs.service import RunService

EdgeKey = tuple[str, bool]  # (node id, outgoing)
NodePageArgs = tuple[int | None, tuple[RunNodeKind, ...], PageRequest]  # step, kinds, page


@dataclass(frozen=True)
class RunLoaders:
    node: DataLoader[str, NodeRecord | None]
    run: DataLoader[str, RunRecord | None]
    # A node's incoming and outgoing edges, and those of every node in the answer, per page.
    edge_pages: PageLoaders[PageRequest, EdgeKey, Slice[RunEdge]]
    node_pages: PageLoaders[NodePageArgs, str, Slice[NodeRecord]]
    # Each run's (step, node count).
    step_pages: PageLoaders[PageRequest, str, Slice[tuple[int, int]]]
    session: DataLoader[str, SessionRecord | None]
    # Each session's runs, in order.
    session_runs: PageLoaders[PageRequest, str, Slice[RunRecord]]
    session_rollup: DataLoader[str, Rollup | None]

    @classmethod
    def create(cls, context: Context) -> Self:
        service, tenant = context.service(RunService), context.tenant

        async def nodes(ids: list[str]) -> list[NodeRecord | None]:
            found = {n.id: n for n in await service.get_nodes(tenant, ids)}
            return [found.get(i) for i in ids]

        async def runs(ids: list[str]) -> list[RunRecord | None]:
            found = {r.id: r for r in await service.get_runs(tenant, ids)}
            return [found.get(i) for i in ids]

        def edge_pages(page: PageRequest) -> LoadFn[EdgeKey, Slice[RunEdge]]:
            async def load(keys: list[EdgeKey]) -> list[Slice[RunEdge]]:
                found = await service.edge_pages(tenant, keys, page)
                return [found.get(k, Slice()) for k in keys]

            return load

        def node_pages(args: NodePageArgs) -> LoadFn[str, Slice[NodeRecord]]:
            step, kinds, page = args

            async def load(keys: list[str]) -> list[Slice[NodeRecord]]:
                found = await service.node_pages(tenant, keys, step=step, kinds=kinds, page=page)
                return [found.get(k, Slice()) for k in keys]

            return load

        def step_pages(page: PageRequest) -> LoadFn[str, Slice[tuple[int, int]]]:
            async def load(keys: list[str]) -> list[Slice[tuple[int, int]]]:
                found = await service.step_pages(tenant, keys, page)
                return [found.get(k, Slice()) for k in keys]

            return load

        async def sessions(ids: list[str]) -> list[SessionRecord | None]:
            found = {x.id: x for x in await service.get_sessions(tenant, ids)}
            return [found.get(i) for i in ids]

        def session_runs(page: PageRequest) -> LoadFn[str, Slice[RunRecord]]:
            async def load(keys: list[str]) -> list[Slice[RunRecord]]:
                found = await service.session_run_pages(tenant, keys, page)
                return [found.get(k, Slice()) for k in keys]

            return load

        async def session_rollups(ids: list[str]) -> list[Rollup | None]:
            found = await service.rollup_sessions(tenant, ids)
            return [found.get(i) for i in ids]

        return cls(
            session_rollup=DataLoader(load_fn=session_rollups),
            session=DataLoader(load_fn=sessions),
            session_runs=PageLoaders(session_runs),
            node=DataLoader(load_fn=nodes),
            run=DataLoader(load_fn=runs),
            edge_pages=PageLoaders(edge_pages),
            node_pages=PageLoaders(node_pages),
            step_pages=PageLoaders(step_pages),
        )


def loaders(info: Info) -> RunLoaders:
    return info.context.loaders(RunLoaders)
