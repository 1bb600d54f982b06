"""Building blocks of the areas' typed per-request loaders (see ``Context.loaders``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from strawberry.dataloader import DataLoader

A = TypeVar("A")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

LoadFn = Callable[[list[K]], Awaitable[list[V]]]


class PageLoaders(Generic[A, K, V]):
    """The loaders of one nested connection, one per argument set (page size, cursor,
    filters): all parents asking with the same arguments share one batched query."""

    def __init__(self, make: Callable[[A], LoadFn[K, V]]) -> None:
        self._make = make
        # Keyed by repr: a decoded cursor is a list (of JSON values), not hashable.
        self._by_args: dict[str, DataLoader[K, V]] = {}

    def __call__(self, args: A) -> DataLoader[K, V]:
        key = repr(args)
        loader = self._by_args.get(key)
        if loader is None:
            loader = self._by_args[key] = DataLoader(load_fn=self._make(args))
        return loader
