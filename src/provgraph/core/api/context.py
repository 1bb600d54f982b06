"""The typed per-request GraphQL context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

import strawberry
from starlette.requests import Request

from provgraph.areas import Services
from provgraph.core.domain.errors import Forbidden

if TYPE_CHECKING:
    from starlette.responses import Response
    from starlette.websockets import WebSocket


@dataclass(frozen=True)
class Principal:
    """Who is asking: the tenant every query is scoped to, and whether it may write."""

    tenant: str
    read_only: bool = False
    key_id: str | None = None


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    services: Services
    principal: Principal
    # Per-request DataLoaders, made lazily by area modules (never module-level).
    loaders: dict[str, Any] = field(default_factory=dict)

    @property
    def tenant(self) -> str:
        return self.principal.tenant

    def require_write(self) -> None:
        if self.principal.read_only:
            raise Forbidden("this API key is read-only")


Info: TypeAlias = strawberry.Info[Context, None]
