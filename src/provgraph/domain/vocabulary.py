"""Every node label and relationship type provgraph writes: the allow-list for Cypher.

Labels are PascalCase nouns, relationship types UPPER_SNAKE verbs; one name is never both
(ArcadeDB keeps one type namespace). The Cypher lint checks every query against these lists.
"""

from __future__ import annotations

# Every provgraph node carries BASE_LABEL: unique by (tenant, id) across all kinds.
BASE_LABEL = "Node"

LABELS: tuple[str, ...] = (BASE_LABEL,)
RELATIONSHIP_TYPES: tuple[str, ...] = ()


def check_disjoint() -> None:
    clash = set(LABELS) & set(RELATIONSHIP_TYPES)
    if clash:
        raise ValueError(f"names used as both label and relationship type: {sorted(clash)}")
