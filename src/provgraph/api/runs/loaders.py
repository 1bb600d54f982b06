"""Per-request DataLoaders of the run area: one ``UNWIND $ids`` query per batch of keys."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from provgraph.api.context import Info
from provgraph.api.loaders import request_loader
from provgraph.services.runs import Edge
from provgraph.store.runs import NodeRecord, RunRecord


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


def edges_loader(info: Info) -> DataLoader[str, list[Edge]]:
    """All edges of each requested node, both directions, one query per batch."""
    service, tenant = info.context.services.runs, info.context.tenant

    async def load(ids: list[str]) -> list[list[Edge]]:
        found = await service.edges_of(tenant, ids)
        return [found[i] for i in ids]

    return request_loader(info, "runs.edges", load)
