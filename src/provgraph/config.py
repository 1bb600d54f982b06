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
    min_free_disk_mb: int = Field(
        default=64,
        ge=0,
        description="below this much free space under the embedded engine's data, writes "
        "answer SERVICE_UNAVAILABLE (disk full) and /readyz 503",
    )
    max_concurrent_writes: int = Field(
        default=1,
        ge=0,
        description="write transactions one provgraph process runs at once; more wait their "
        "turn in the process instead of colliding in the engine (0: no limit)",
    )
    max_traversal_depth: int = Field(default=10, ge=1, le=50)
    max_result_nodes: int = Field(default=5000, ge=1)
    max_page_size: int = Field(default=500, ge=1)
    max_query_depth: int = Field(default=15, ge=1)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=5000, ge=1)
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    request_read_timeout: float = Field(
        default=10.0,
        gt=0,
        description="seconds a client has to send a request's head, and again its body",
    )
    max_expanded_fields: int = Field(
        default=10_000,
        ge=1,
        description="fields a document may select once every fragment spread is expanded",
    )
    max_query_cost: int = Field(
        default=100_000,
        ge=1,
        description="cost budget of one operation (see README, Errors and limits)",
    )

    # Auth. None means: required with Neo4j, dev mode (no keys) with the embedded engine.
    require_api_keys: bool | None = None
    dev_tenant: str = "default"
    cors_origins: list[str] = Field(default_factory=list)
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host header names served (JSON list; '*' for any). Default: loopback names "
        "(localhost, 127.0.0.1, ::1) in dev mode, any host when API keys are required",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="json: one JSON object per line, with the correlation id"
    )

    # Governance: the default gate policy of a new environment (each environment may set its own).
    gate_min_pass_rate: float = Field(default=0.90, ge=0, le=1)
    gate_min_mean_score: float = Field(default=0.85, ge=0, le=1)
    gate_max_tokens_per_case: int = Field(default=20_000, ge=0)
    gate_max_cost_per_case: float = Field(default=0.50, ge=0)
    gate_max_total_tokens: int = Field(default=2_000_000, ge=0)
    gate_max_total_cost: float = Field(default=50.0, ge=0)

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
