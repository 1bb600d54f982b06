from __future__ import annotations

import asyncio

import strawberry
from strawberry import relay

from provgraph.core.api.context import Info
from provgraph.core.api.node_ids import resolve_node
from provgraph.core.domain.errors import BadUserInput
from provgraph.system.api.types import ServerInfo, Viewer
from provgraph.system.service import SystemService

MAX_NODES_PER_CALL = 500


@strawberry.type
class SystemQuery:
    @strawberry.field(description="Version of provgraph and the engine behind it.")
    def server_info(self, info: Info) -> ServerInfo:
        facts = info.context.service(SystemService).info()
        return ServerInfo(
            version=facts.version, engine=facts.engine, engine_agent=facts.engine_agent
        )

    @strawberry.field(description="The caller: tenant, read-only or not, API key id.")
    def viewer(self, info: Info) -> Viewer:
        p = info.context.principal
        return Viewer(tenant=p.tenant, read_only=p.read_only, key_id=p.key_id)

    # Plain resolvers rather than relay.node(): that helper mutates its field when a schema is
    # built, so a second schema in one process (tests, several apps) would fail.
    @strawberry.field(
        description="Any object by its global ID (Relay). Null when not found for your tenant."
    )
    async def node(self, info: Info, id: relay.GlobalID) -> relay.Node | None:
        return await resolve_node(info, id)

    @strawberry.field(
        description="Objects by global IDs, in order; null where not found for your tenant."
    )
    async def nodes(self, info: Info, ids: list[relay.GlobalID]) -> list[relay.Node | None]:
        if len(ids) > MAX_NODES_PER_CALL:
            raise BadUserInput(f"at most {MAX_NODES_PER_CALL} ids per call", field="ids")
        found = await asyncio.gather(*(resolve_node(info, i, "ids") for i in ids))
        return list(found)
