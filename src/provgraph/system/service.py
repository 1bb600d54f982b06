"""Server facts and readiness."""

from __future__ import annotations

from dataclasses import dataclass

from provgraph import __version__
from provgraph.core.store.executor import Executor
from provgraph.core.store.registry import query
from provgraph.engine.connection import Engine

PING = query("system/ping")


@dataclass(frozen=True)
class ServerInfo:
    version: str
    engine: str
    engine_agent: str


class SystemService:
    def __init__(self, engine: Engine, executor: Executor) -> None:
        self._engine = engine
        self._executor = executor

    def info(self) -> ServerInfo:
        return ServerInfo(__version__, self._engine.kind, self._engine.server_agent)

    async def ready(self) -> bool:
        """True when the engine answers a real query through the catalog."""
        rows = await self._executor.read(PING, {})
        return bool(rows and rows[0].get("ok") == 1)
