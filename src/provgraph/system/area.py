"""The system area: server facts, readiness, the caller, Relay ``node``/``nodes``."""

from __future__ import annotations

from provgraph.core.area import Area, AreaDeps
from provgraph.system.api.resolvers import SystemQuery
from provgraph.system.repository import SystemRepository
from provgraph.system.service import SystemService


def build(deps: AreaDeps) -> list[object]:
    return [SystemService(deps.engine, SystemRepository(deps.executor))]


AREA = Area(name="system", build=build, query=SystemQuery)
