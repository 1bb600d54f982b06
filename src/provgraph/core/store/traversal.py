"""The one breadth-first walker and the one depth clamp, for every area's traversals.

Breadth-first, one query per level, not one variable-length pattern: engines match those path
by path, and the paths into a node of a dense graph grow exponentially with depth (a 12-layer
graph 6 nodes wide has 6^11 paths into its last layer; tests/e2e/test_deadline.py). Here each
node is expanded once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from provgraph.core.domain.errors import BadUserInput

Row = dict[str, Any]
# One level: the rows of the frontier's neighbours, each with ``from_id`` (the frontier node),
# ``type`` (the relationship type) and ``id`` (the neighbour), plus whatever else the area
# wants to keep of the neighbour (kind, step, …).
Expand = Callable[[list[str]], Awaitable[list[Row]]]


@dataclass(frozen=True, slots=True)
class DepthLimit:
    """The depth a client asked for (or the field's default) and the depth used."""

    requested: int
    used: int

    @property
    def clamped(self) -> bool:
        return self.requested > self.used


def clamp_depth(depth: int | None, *, default: int, maximum: int, field: str) -> DepthLimit:
    """``depth`` (``default`` when absent) capped at ``maximum``; below 1 is BAD_USER_INPUT
    naming ``field``."""
    requested = default if depth is None else depth
    if requested < 1:
        raise BadUserInput(f"{field} must be at least 1", field=field)
    return DepthLimit(requested, min(requested, maximum))


class DepthAnswer:
    """The depth facts of an answer cut by a ``DepthLimit`` (its ``limit``), as the API names
    them; a mixin for the areas' traversal results."""

    limit: DepthLimit

    @property
    def depth(self) -> int:
        return self.limit.used

    @property
    def requested_depth(self) -> int:
        return self.limit.requested

    @property
    def depth_clamped(self) -> bool:
        return self.limit.clamped


@dataclass(slots=True)
class Visit:
    """A node reached: its shortest distance, the first row that reached it, and every edge
    into it from a node one hop nearer the origin, as (relationship type, that node's id)."""

    id: str
    distance: int
    row: Row
    via: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Walk:
    origin: str
    visits: dict[str, Visit]
    # Every row read whose neighbour was kept, in the order read: (from_id, type, id).
    hops: list[tuple[str, str, str]]
    # Cut by the node cap or by ``enough``: some reachable nodes within the depth are missing.
    truncated: bool = False
    # Nodes not reached lie beyond the depth used (only known when asked with ``probe_beyond``).
    beyond_depth: bool = False


async def breadth_first(
    expand: Expand,
    origin: str,
    depth: int,
    *,
    max_nodes: int | None = None,
    counts: Callable[[Row, int], bool] | None = None,
    enough: int | None = None,
    probe_beyond: bool = False,
    probe: Expand | None = None,
) -> Walk:
    """Every node within ``depth`` of ``origin``, level by level.

    ``max_nodes`` caps the nodes kept (``truncated`` when more were reachable); ``enough``
    stops after the level where that many nodes passing ``counts(row, distance)`` (all, when
    absent) were
    found — later levels only add larger distances. ``probe_beyond`` reads one more level to
    tell whether the depth cut anything off, with ``probe`` when given (a cheaper level query:
    only the ids of that level are needed).
    """
    walk = Walk(origin, {}, [])
    visits, hop = walk.visits, walk.hops.append  # (a 5,000-node answer reads ~15,000 rows)
    frontier = [origin]
    matching = 0
    for distance in range(1, depth + 1):
        if not frontier:
            return walk
        rows = await expand(frontier)
        frontier = []
        for row in rows:
            node = row["id"]
            rel_type = row["type"]
            from_id = row["from_id"]
            visit = visits.get(node)
            if visit is None:
                if node == origin:
                    continue
                if max_nodes is not None and len(visits) >= max_nodes:
                    walk.truncated = True
                    continue
                visit = visits[node] = Visit(node, distance, row, [(rel_type, from_id)])
                frontier.append(node)
                if counts is None or counts(row, distance):
                    matching += 1
            else:
                visit.via.append((rel_type, from_id))
            hop((from_id, rel_type, node))
        if enough is not None and matching >= enough:
            walk.truncated = bool(frontier) or walk.truncated
            return walk
    if probe_beyond and frontier:
        # Only nodes not reached yet count: an edge back to a nearer node cuts nothing off.
        walk.beyond_depth = any(
            r["id"] != origin and r["id"] not in walk.visits
            for r in await (probe or expand)(frontier)
        )
    return walk
