"""Server facts and readiness."""

from __future__ import annotations

from dataclasses import dataclass

from provgraph import __version__
from provgraph.engine.connection import Engine
from provgraph.system.repository import SystemRepository


@dataclass(frozen=True)
class ServerInfo:
    version: str
    engine: str
    engine_agent: str


class SystemService:
    def __init__(self, engine: Engine, repository: SystemRepository) -> None:
        self._engine = engine
        self._repo = repository

    def info(self) -> ServerInfo:
        return ServerInfo(__version__, self._engine.kind, self._engine.server_agent)

    async def ready(self) -> bool:
        """True when the engine answers a real query through the catalog."""
        return await self._repo.ping()
