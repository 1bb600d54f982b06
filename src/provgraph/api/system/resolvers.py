from __future__ import annotations

import strawberry

from provgraph.api.context import Info
from provgraph.api.system.types import ServerInfo


@strawberry.type
class SystemQuery:
    @strawberry.field(description="Version of provgraph and the engine behind it.")
    def server_info(self, info: Info) -> ServerInfo:
        facts = info.context.services.system.info()
        return ServerInfo(
            version=facts.version, engine=facts.engine, engine_agent=facts.engine_agent
        )
