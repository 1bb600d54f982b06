"""System queries: the readiness ping."""

from __future__ import annotations

from provgraph.core.store.executor import Executor
from provgraph.core.store.registry import query

PING = query("system/ping")


class SystemRepository:
    def __init__(self, executor: Executor) -> None:
        self._ex = executor

    async def ping(self) -> bool:
        rows = await self._ex.read(PING, {})
        return bool(rows and rows[0].get("ok") == 1)
