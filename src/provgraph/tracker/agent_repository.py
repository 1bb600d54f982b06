"""Agent and activity repositories: ``cypher/tracker/`` and ``cypher/tracker/``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from provgraph.core.domain.paging import Slice
from provgraph.core.store.executor import Executor, Row, Tx
from provgraph.core.store.registry import query
from provgraph.tracker.records import Activity, Agent, AgentKind, Phase, Role, Stage

T = TypeVar("T")

CREATE_AGENT = query("tracker/create_agent")
GET_AGENTS = query("tracker/get_agents")
LIST_AGENTS = query("tracker/list_agents")
CREATE_ACTIVITY = query("tracker/create_activity")
GET_ACTIVITIES = query("tracker/get_activities")
END_ACTIVITY = query("tracker/end_activity")
LIST_ACTIVITIES = query("tracker/list_activities")

AGENT_FIELDS = ("name", "contact", "role", "provider", "model", "version", "source")


def to_agent(row: Row) -> Agent:
    return Agent(
        id=row["id"],
        agent_kind=AgentKind(row["agent_kind"]),
        created_at=int(row["created_at"]),
        name=row["name"],
        contact=row["contact"],
        role=Role(row["role"]) if row["role"] else None,
        provider=row["provider"],
        model=row["model"],
        version=row["version"],
        source=row["source"],
    )


def to_activity(row: Row) -> Activity:
    return Activity(
        id=row["id"],
        agent_id=row["agent_id"],
        phase=Phase(row["phase"]),
        stage=Stage(row["stage"]),
        notes=row["notes"],
        started_at=int(row["started_at"]),
        ended_at=row["ended_at"],
    )


def _after(after: tuple[int, str] | None) -> dict[str, Any]:
    return {"after_created": after[0] if after else None, "after_id": after[1] if after else None}


class AgentRepository:
    def __init__(self, executor: Executor) -> None:
        self._ex = executor

    async def create(
        self, tenant: str, agent_id: str, kind: AgentKind, fields: dict[str, Any], now: int
    ) -> Agent:
        params = {f: fields.get(f) for f in AGENT_FIELDS}
        params.update(id=agent_id, agent_kind=kind.value, now=now)
        rows = await self._ex.write(CREATE_AGENT, params, tenant=tenant)
        return to_agent(rows[0])

    async def get_many(self, tenant: str, ids: Sequence[str]) -> dict[str, Agent]:
        rows = await self._ex.read(GET_AGENTS, {"ids": list(ids)}, tenant=tenant)
        return {r["id"]: to_agent(r) for r in rows}

    async def list_page(
        self, tenant: str, kind: AgentKind | None, after: tuple[int, str] | None, limit: int
    ) -> Slice[Agent]:
        params = {
            "agent_kind": kind.value if kind else None,
            "limit": limit,
            **_after(after),
        }
        rows = await self._ex.read(LIST_AGENTS, params, tenant=tenant)
        if not rows:
            return Slice([], 0)
        return Slice([to_agent(r) for r in rows[0]["page"]], int(rows[0]["total"]))


class ActivityRepository:
    def __init__(self, executor: Executor) -> None:
        self._ex = executor

    @staticmethod
    async def get_in(tx: Tx, tenant: str, activity_id: str) -> Activity | None:
        rows = await tx.run(GET_ACTIVITIES, {"ids": [activity_id]})
        return to_activity(rows[0]) if rows else None

    @staticmethod
    async def create_in(tx: Tx, tenant: str, fields: dict[str, Any]) -> Activity | None:
        rows = await tx.run(CREATE_ACTIVITY, {**fields})
        return to_activity(rows[0]) if rows else None

    async def write_tx(self, label: str, work: Callable[[Tx], Awaitable[T]], *, tenant: str) -> T:
        """One write transaction; a create racing another of the same id is a Conflict."""
        return await self._ex.write_tx(label, work, tenant=tenant)

    async def get_many(self, tenant: str, ids: Sequence[str]) -> dict[str, Activity]:
        rows = await self._ex.read(GET_ACTIVITIES, {"ids": list(ids)}, tenant=tenant)
        return {r["id"]: to_activity(r) for r in rows}

    async def end(
        self, tenant: str, activity_id: str, stage: Stage | None, now: int
    ) -> Activity | None:
        params = {
            "id": activity_id,
            "stage": stage.value if stage else None,
            "now": now,
        }
        rows = await self._ex.write(END_ACTIVITY, params, tenant=tenant)
        return to_activity(rows[0]) if rows else None

    async def list_page(
        self, tenant: str, agent_id: str | None, after: tuple[int, str] | None, limit: int
    ) -> Slice[Activity]:
        params = {"agent_id": agent_id, "limit": limit, **_after(after)}
        rows = await self._ex.read(LIST_ACTIVITIES, params, tenant=tenant)
        if not rows:
            return Slice([], 0)
        return Slice([to_activity(r) for r in rows[0]["page"]], int(rows[0]["total"]))
