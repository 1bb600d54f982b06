from __future__ import annotations

import strawberry


@strawberry.type(description="What this provgraph server is and which engine it runs on.")
class ServerInfo:
    version: str = strawberry.field(description="provgraph's version.")
    engine: str = strawberry.field(description="Engine kind: `arcadedb-embedded` or `neo4j`.")
    engine_agent: str = strawberry.field(description="The engine's own server agent string.")


@strawberry.type(description="Who is asking: the tenant this request is scoped to.")
class Viewer:
    tenant: str = strawberry.field(description="Every read and write is scoped to this tenant.")
    read_only: bool = strawberry.field(description="True when mutations are refused.")
    key_id: str | None = strawberry.field(
        description="The API key's id; null in dev mode without a key."
    )
