"""Keyset page requests: a page size and the sort key of the last row seen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from provgraph.domain.errors import BadUserInput


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
