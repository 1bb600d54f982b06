"""The typed per-request GraphQL context: who asks, the services, the request's loaders."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, Self, TypeAlias, TypeVar, cast

import strawberry
from starlette.requests import Request

from provgraph.config import Settings

if TYPE_CHECKING:
    from starlette.responses import Response
    from starlette.websockets import WebSocket

T = TypeVar("T")


@dataclass(frozen=True)
class Principal:
    """Who is asking: the tenant every query is scoped to, and whether it may write."""

    tenant: str
    read_only: bool = False
    key_id: str | None = None


class ServiceRegistry:
    """The services of every area, built once at start-up (``provgraph.areas``), looked up by
    class so that core knows no area: ``services.get(RunService)`` is typed ``RunService``."""

    def __init__(self, services: list[object]) -> None:
        self._by_type: dict[type[object], object] = {type(s): s for s in services}

    @classmethod
    def substitute(cls, replacements: dict[type[object], object]) -> ServiceRegistry:
        """A registry answering ``get(cls)`` with a stand-in (engine-free unit tests)."""
        registry = cls([])
        registry._by_type.update(replacements)
        return registry

    def get(self, cls: type[T]) -> T:
        try:
            return cast(T, self._by_type[cls])
        except KeyError:
            raise LookupError(f"no service {cls.__name__}: is its area in areas.py?") from None


class RequestLoaders(Protocol):
    """An area's set of DataLoaders for one request (a dataclass with a ``create``)."""

    @classmethod
    def create(cls, context: Context) -> Self: ...


L = TypeVar("L", bound=RequestLoaders)


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    services: ServiceRegistry
    settings: Settings
    principal: Principal
    # A websocket's connection_init payload (Strawberry sets it; core.api.view checks its key).
    connection_params: object = None
    # The request's correlation id (the audit trail records it): the client's
    # ``X-Request-Id`` header when it sends a sane one, else made here.
    correlation_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    # Each area's loaders, made on first use in this request: never shared between requests
    # (a loader caches; sharing would leak rows across tenants and serve stale data).
    _loaders: dict[type[object], object] = field(default_factory=dict)

    @property
    def tenant(self) -> str:
        return self.principal.tenant

    def service(self, cls: type[T]) -> T:
        return self.services.get(cls)

    def fresh_loaders(self) -> None:
        """Drop the loaders' caches: a subscription's context lives as long as its socket,
        and each event must read what is stored now."""
        self._loaders.clear()

    def loaders(self, cls: type[L]) -> L:
        found = self._loaders.get(cls)
        if found is None:
            found = self._loaders[cls] = cls.create(self)
        return cast(L, found)


Info: TypeAlias = strawberry.Info[Context, None]
