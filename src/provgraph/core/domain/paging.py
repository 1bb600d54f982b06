"""Keyset page requests: a page size and the sort key of the last row seen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from provgraph.core.domain.errors import BadUserInput
from provgraph.core.domain.vocabulary import EdgeKind

T = TypeVar("T")


@dataclass(frozen=True)
class PageRequest:
    size: int
    # The decoded cursor: the sort key of the last row of the previous page.
    after: Sequence[Any] | None = None

    def key(self, *types: type) -> tuple[Any, ...] | None:
        """The cursor checked against the expected sort-key types, or None on the first page."""
        if self.after is None:
            return None
        ok = len(self.after) == len(types) and all(
            isinstance(v, t) and not (t is int and isinstance(v, bool))
            for v, t in zip(self.after, types, strict=True)
        )
        if not ok:
            raise BadUserInput("after is not a cursor this list issued", field="after")
        return tuple(self.after)

    def edge_key(self) -> tuple[EdgeKind, str, str] | None:
        """The cursor of an edge list: ``[kind, source, target]`` (see ``edge_sort_key``)."""
        after = self.key(str, str, str)
        if after is None:
            return None
        try:
            kind = EdgeKind(after[0])
        except ValueError:
            raise BadUserInput("after is not a cursor this list issued", field="after") from None
        return kind, after[1], after[2]


def edge_sort_key(kind: EdgeKind, source: str, target: str) -> list[Any]:
    """Edge lists are ordered by kind (``EdgeKind``'s declaration order), source, then target:
    a total order, as one kind links two given nodes at most once."""
    return [kind.value, source, target]


@dataclass(frozen=True)
class Slice(Generic[T]):
    """One parent's page from a batched query: up to ``size + 1`` rows (the extra one tells
    that a next page exists) and the number of all its items, whatever the cursor."""

    rows: list[T] = field(default_factory=list)
    total: int = 0
