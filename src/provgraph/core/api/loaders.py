"""Per-request DataLoaders: made on first use in a request, kept in ``context.loaders``.

Never module-level: a loader caches, and a cache shared between requests would leak data across
tenants and serve stale rows.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar, cast

from strawberry.dataloader import DataLoader

from provgraph.core.api.context import Info

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def request_loader(
    info: Info, name: str, load: Callable[[list[K]], Awaitable[list[V]]]
) -> DataLoader[K, V]:
    """The request's loader called ``name``; ``load`` batches keys into one query."""
    loaders: dict[str, Any] = info.context.loaders
    if name not in loaders:
        loaders[name] = DataLoader(load_fn=load)
    return cast(DataLoader[K, V], loaders[name])


def page_loader(
    info: Info, name: str, args: Hashable, load: Callable[[list[K]], Awaitable[list[V]]]
) -> DataLoader[K, V]:
    """The request's loader of a nested connection for one argument set (page size, cursor,
    filters): all parents asking with the same arguments share one batched query."""
    return request_loader(info, f"{name}:{args!r}", load)
