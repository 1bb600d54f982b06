"""THE list of areas. The schema merge, the services container and the start-up query-name
checks all read it: adding an area is one folder and one line here."""

from __future__ import annotations

from typing import Any

from starlette.routing import BaseRoute

from provgraph.config import Settings
from provgraph.core.api.context import ServiceRegistry
from provgraph.core.area import Area, AreaDeps
from provgraph.core.observe.events import EventBus
from provgraph.core.store.executor import Executor
from provgraph.engine.connection import Engine
from provgraph.export.area import AREA as EXPORT
from provgraph.governance.area import AREA as GOVERNANCE
from provgraph.ingest.area import AREA as INGEST
from provgraph.keys.area import AREA as KEYS
from provgraph.runs.area import AREA as RUNS
from provgraph.system.area import AREA as SYSTEM
from provgraph.tracker.area import AREA as TRACKER

AREAS: tuple[Area, ...] = (SYSTEM, KEYS, RUNS, TRACKER, INGEST, EXPORT, GOVERNANCE)

# Cypher folders that belong to no area: start-up schema and core's own queries.
CORE_CYPHER = ("schema", "setup", "core")


def query_types() -> tuple[type[Any], ...]:
    return tuple(a.query for a in AREAS if a.query is not None)


def mutation_types() -> tuple[type[Any], ...]:
    return tuple(a.mutation for a in AREAS if a.mutation is not None)


def routes() -> list[BaseRoute]:
    return [route for area in AREAS for route in area.routes]


def subscription_types() -> tuple[type[Any], ...]:
    return tuple(a.subscription for a in AREAS if a.subscription is not None)


def cypher_folders() -> tuple[str, ...]:
    return (*CORE_CYPHER, *(a.cypher_folder for a in AREAS))


def build_services(
    settings: Settings, engine: Engine, executor: Executor, events: EventBus | None = None
) -> ServiceRegistry:
    """The areas' services, and the event bus they publish to (``service(EventBus)``)."""
    bus = events or EventBus()
    deps = AreaDeps(settings, engine, executor, bus)
    for area in AREAS:
        deps.built.extend(area.build(deps))
    return ServiceRegistry([bus, *deps.built])
