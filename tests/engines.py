"""The one engine a test session runs against.

- ``PROVGRAPH_TEST_NEO4J_URI`` (+ ``_USER``/``_PASSWORD``): any running Neo4j 5.
- ``PROVGRAPH_TEST_ENGINE=neo4j-container``: a throwaway Neo4j 5 container (needs Docker).
- otherwise: the embedded ArcadeDB, started in a temporary directory.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class EngineTarget:
    kind: str
    uri: str | None = None
    user: str = "neo4j"
    password: str = ""
    data_dir: Path | None = None


@contextmanager
def neo4j_container() -> Iterator[EngineTarget]:
    try:
        from testcontainers.core.container import DockerContainer
        from testcontainers.core.waiting_utils import wait_for_logs
    except ImportError as exc:  # pragma: no cover - dev extra installs it
        raise RuntimeError("PROVGRAPH_TEST_ENGINE=neo4j-container needs testcontainers") from exc
    password = secrets.token_urlsafe(12)
    container = (
        DockerContainer(os.environ.get("PROVGRAPH_TEST_NEO4J_IMAGE", "neo4j:5"))
        .with_env("NEO4J_AUTH", f"neo4j/{password}")
        .with_exposed_ports(7687)
    )
    with container:
        wait_for_logs(container, "Started.", timeout=120)
        host = container.get_container_host_ip()
        port = container.get_exposed_port(7687)
        yield EngineTarget("neo4j", f"bolt://{host}:{port}", "neo4j", password)


@contextmanager
def session_engine_target(tmp_dir: Path) -> Iterator[EngineTarget]:
    uri = os.environ.get("PROVGRAPH_TEST_NEO4J_URI")
    if uri:
        yield EngineTarget(
            "neo4j",
            uri,
            os.environ.get("PROVGRAPH_TEST_NEO4J_USER", "neo4j"),
            os.environ.get("PROVGRAPH_TEST_NEO4J_PASSWORD", ""),
        )
    elif os.environ.get("PROVGRAPH_TEST_ENGINE") == "neo4j-container":
        with neo4j_container() as target:
            yield target
    else:
        yield EngineTarget("arcadedb-embedded", data_dir=tmp_dir)
