"""Per-request DataLoaders of the run area: one ``UNWIND $ids`` query per batch of keys."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from provgraph.api.context import Info
from provgraph.store.runs import NodeRecord, RunRecord

NodeLoader = DataLoader[str, NodeRecord | None]
RunLoader = DataLoader[str, RunRecord | None]


def node_loader(info: Info) -> NodeLoader:
    ctx = info.context
    loader = ctx.loaders.get("runs.node")
    if loader is None:
        service, tenant = ctx.services.runs, ctx.tenant

        async def load(ids: Sequence[str]) -> list[NodeRecord | None]:
            found = {n.id: n for n in await service.get_nodes(tenant, list(ids))}
            return [found.get(i) for i in ids]

        loader = ctx.loaders["runs.node"] = NodeLoader(load_fn=load)
    assert isinstance(loader, DataLoader)
    return loader


def run_loader(info: Info) -> RunLoader:
    ctx = info.context
    loader = ctx.loaders.get("runs.run")
    if loader is None:
        service, tenant = ctx.services.runs, ctx.tenant

        async def load(ids: Sequence[str]) -> list[RunRecord | None]:
            found = {r.id: r for r in await service.get_runs(tenant, list(ids))}
            return [found.get(i) for i in ids]

        loader = ctx.loaders["runs.run"] = RunLoader(load_fn=load)
    assert isinstance(loader, DataLoader)
    return loader
