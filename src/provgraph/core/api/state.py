"""What the lifespan builds, typed: ``app.state.provgraph`` (one attribute, not loose keys)."""

from __future__ import annotations

from dataclasses import dataclass

from provgraph.config import Settings
from provgraph.core.api.auth import Authenticator
from provgraph.core.api.context import ServiceRegistry
from provgraph.core.observe.events import EventBus
from provgraph.core.observe.metrics import Metrics
from provgraph.core.store.executor import Executor
from provgraph.engine.connection import Engine


@dataclass(frozen=True)
class AppState:
    settings: Settings
    engine: Engine
    executor: Executor
    services: ServiceRegistry
    authenticate: Authenticator
    metrics: Metrics
    events: EventBus
