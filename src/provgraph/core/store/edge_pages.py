"""Parameters and rows of the keyset-paged edge queries (task relations, run-node edges).

The queries order edges in the client's orientation by kind, in ``EdgeKind``'s declaration
order (``$ranks`` maps each relationship type to its position), then source id, then target id,
and compute source and target from the stored ends (``$reversed``: the kinds stored
target -> source). See ``domain.paging.edge_sort_key``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from provgraph.core.domain.vocabulary import REL_TO_KIND, EdgeKind, RelType

RANKS: dict[str, int] = {kind.spec.rel_type.value: i for i, kind in enumerate(EdgeKind)}
REVERSED: list[str] = [k.spec.rel_type.value for k in EdgeKind if not k.spec.source_is_effect]


def order_params(after: tuple[EdgeKind, str, str] | None) -> dict[str, Any]:
    """``$ranks``, ``$reversed`` and the keyset ``$after_*`` (before everything when None)."""
    rank, source, target = (-1, "", "")
    if after is not None:
        rank, source, target = RANKS[after[0].spec.rel_type.value], after[1], after[2]
    return {
        "ranks": RANKS,
        "reversed": REVERSED,
        "after_rank": rank,
        "after_source": source,
        "after_target": target,
    }


def edge_of(item: Mapping[str, Any]) -> tuple[EdgeKind, str, str]:
    """A page item ``{type, source, target}`` as ``(kind, source, target)``."""
    return REL_TO_KIND[RelType(item["type"])], item["source"], item["target"]
