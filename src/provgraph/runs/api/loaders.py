"""Per-request DataLoaders of the run area: one ``UNWIND $ids`` query per batch of keys."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from provgraph.core.api.context import Info
from provgraph.core.api.loaders import page_loader, request_loader
from provgraph.core.domain.paging import PageRequest, Slice
from provgraph.runs.repository import NodeRecord, RunRecord
from provgraph.runs.rules import RunNodeKind
from provgraph.runs.service import Edge


def node_loader(info: Info) -> DataLoader[str, NodeRecord | None]:
    service, tenant = info.context.services.runs, info.context.tenant

    async def load(ids: list[str]) -> list[NodeRecord | None]:
        found = {n.id: n for n in await service.get_nodes(tenant, ids)}
        return [found.get(i) for i in ids]

    return request_loader(info, "runs.node", load)


def run_loader(info: Info) -> DataLoader[str, RunRecord | None]:
    service, tenant = info.context.services.runs, info.context.tenant

    async def load(ids: list[str]) -> list[RunRecord | None]:
        found = {r.id: r for r in await service.get_runs(tenant, ids)}
        return [found.get(i) for i in ids]

    return request_loader(info, "runs.run", load)


def edge_pages(info: Info, page: PageRequest) -> DataLoader[tuple[str, bool], Slice[Edge]]:
    """One page of each ``(node id, outgoing)``'s edges per argument set: a node's incoming and
    outgoing edges, and those of every node in the answer, come in one query."""
    service, tenant = info.context.services.runs, info.context.tenant

    async def load(keys: list[tuple[str, bool]]) -> list[Slice[Edge]]:
        found = await service.edge_pages(tenant, keys, page)
        return [found.get(k, Slice()) for k in keys]

    return page_loader(info, "runs.edges", page, load)


def node_pages(
    info: Info, step: int | None, kinds: tuple[RunNodeKind, ...], page: PageRequest
) -> DataLoader[str, list[NodeRecord]]:
    """One page of each run's nodes per argument set."""
    service, tenant = info.context.services.runs, info.context.tenant

    async def load(keys: list[str]) -> list[list[NodeRecord]]:
        found = await service.node_pages(tenant, keys, step=step, kinds=kinds, page=page)
        return [found.get(k, []) for k in keys]

    return page_loader(info, "runs.nodes", (step, kinds, page), load)


def step_pages(info: Info, page: PageRequest) -> DataLoader[str, Slice[tuple[int, int]]]:
    """One page of each run's ``(step, node count)`` per argument set."""
    service, tenant = info.context.services.runs, info.context.tenant

    async def load(keys: list[str]) -> list[Slice[tuple[int, int]]]:
        found = await service.step_pages(tenant, keys, page)
        return [found.get(k, Slice()) for k in keys]

    return page_loader(info, "runs.steps", page, load)
