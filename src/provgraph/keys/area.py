"""The keys area: API keys (CLI and authentication; no GraphQL fields of its own)."""

from __future__ import annotations

from provgraph.core.area import Area, AreaDeps
from provgraph.keys.repository import KeyRepository
from provgraph.keys.service import KeyService


def build(deps: AreaDeps) -> list[object]:
    return [KeyService(KeyRepository(deps.executor))]


AREA = Area(name="keys", build=build)
