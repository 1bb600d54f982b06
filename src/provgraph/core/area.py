"""What an area is, as ``provgraph.areas`` lists it: its GraphQL root types, the services it
builds, the folder of its named Cypher, and the other areas it uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.routing import BaseRoute

from provgraph.config import Settings
from provgraph.core.observe.events import EventPublisher
from provgraph.core.store.executor import Executor
from provgraph.engine.connection import Engine

T = TypeVar("T")


@dataclass(frozen=True)
class AreaDeps:
    """What every area's services may be built from: also the services of the areas listed
    before it in ``provgraph.areas`` (an area uses another's service, never its repository)."""

    settings: Settings
    engine: Engine
    executor: Executor
    # Where services announce what they committed (subscriptions, metrics listen).
    events: EventPublisher
    built: list[object] = field(default_factory=list)

    def service(self, cls: type[T]) -> T:
        for service in self.built:
            if type(service) is cls:
                return service
        raise LookupError(f"no service {cls.__name__} built before this area (areas.py order)")


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
    # HTTP routes of its own besides /graphql (Starlette routes; app.py mounts them). Guard
    # them with provgraph.core.api.http.guard: the same body limit and keys as /graphql.
    routes: tuple[BaseRoute, ...] = ()

    @property
    def cypher_folder(self) -> str:
        return self.cypher or self.name
