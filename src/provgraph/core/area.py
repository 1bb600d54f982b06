"""What an area is, as ``provgraph.areas`` lists it: its GraphQL root types, the services it
builds, the folder of its named Cypher, and the other areas it uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from provgraph.config import Settings
from provgraph.core.observe.events import EventPublisher
from provgraph.core.store.executor import Executor
from provgraph.engine.connection import Engine


@dataclass(frozen=True)
class AreaDeps:
    """What every area's services may be built from."""

    settings: Settings
    engine: Engine
    executor: Executor
    # Where services announce what they committed (subscriptions, metrics listen).
    events: EventPublisher


@dataclass(frozen=True)
class Area:
    name: str
    build: Callable[[AreaDeps], list[object]]
    query: type[Any] | None = None
    mutation: type[Any] | None = None
    subscription: type[Any] | None = None
    # Other areas whose services or API types this one uses (never their repositories or
    # Cypher); tests/unit/test_architecture.py holds the imports to it.
    uses: tuple[str, ...] = ()
    # The folder of cypher/ holding this area's named queries (default: its name).
    cypher: str | None = None

    @property
    def cypher_folder(self) -> str:
        return self.cypher or self.name
