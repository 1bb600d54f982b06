from __future__ import annotations

import strawberry


@strawberry.type(description="What this provgraph server is and which engine it runs on.")
class ServerInfo:
    version: str = strawberry.field(description="provgraph's version.")
    engine: str = strawberry.field(description="Engine kind: `arcadedb-embedded` or `neo4j`.")
    engine_agent: str = strawberry.field(description="The engine's own server agent string.")
