"""Settings from the environment (prefix ``PROVGRAPH_``); secrets stay ``SecretStr``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """Per-user data directory for the embedded engine (XDG on Linux, ~/Library on macOS)."""
    xdg = os.environ.get("XDG_DATA_HOME")
    if xdg:
        return Path(xdg) / "provgraph"
    home = Path.home()
    if (home / "Library").is_dir() and os.uname().sysname == "Darwin":
        return home / "Library" / "Application Support" / "provgraph"
    return home / ".local" / "share" / "provgraph"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PROVGRAPH_", extra="ignore")

    # Which engine provgraph starts itself: the embedded ArcadeDB (default, no Java needed) or
    # Neo4j Community fetched from Maven Central (needs Java 17+ and, once, Maven).
    engine: Literal["arcadedb", "neo4j"] = "arcadedb"

    # Neo4j (production). When neo4j_uri is set, no engine is started: provgraph connects.
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"

    # Embedded ArcadeDB (default).
    data_dir: Path = Field(default_factory=default_data_dir)
    embedded_database: str = "provgraph"
    embedded_bolt_port: int = Field(default=0, ge=0, le=65535, description="0 picks a free port")
    embedded_http_port: int = Field(default=0, ge=0, le=65535, description="0 picks a free port")
    embedded_heap: str = "2g"
    embedded_start_timeout: float = Field(default=90.0, gt=0)

    # Local Neo4j (engine=neo4j): Bolt port as embedded_bolt_port, start limit as above.
    neo4j_heap: str = "1g"
    neo4j_pagecache: str = "256m"
    neo4j_cache_dir: Path | None = Field(
        default=None, description="jars and launcher; default ~/.cache/provgraph"
    )

    # HTTP server.
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)

    # Query limits.
    query_timeout: float = Field(default=30.0, gt=0, description="seconds per database query")
    max_traversal_depth: int = Field(default=10, ge=1, le=50)
    max_result_nodes: int = Field(default=5000, ge=1)
    max_page_size: int = Field(default=500, ge=1)
    max_query_depth: int = Field(default=15, ge=1)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=5000, ge=1)
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)

    # Auth. None means: required with Neo4j, dev mode (no keys) with the embedded engine.
    require_api_keys: bool | None = None
    dev_tenant: str = "default"
    cors_origins: list[str] = Field(default_factory=list)

    # Task tracker: more ML providers/models than the shipped registry (inline JSON or a path).
    extra_models: str | None = None

    @property
    def uses_embedded(self) -> bool:
        """provgraph starts the engine itself (ArcadeDB or local Neo4j), on loopback."""
        return not self.neo4j_uri

    @property
    def uses_local_neo4j(self) -> bool:
        return self.uses_embedded and self.engine == "neo4j"

    @property
    def auth_required(self) -> bool:
        if self.require_api_keys is not None:
            return self.require_api_keys
        return not self.uses_embedded
