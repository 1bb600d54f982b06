"""The one engine a test session runs against.

- ``PROVGRAPH_TEST_NEO4J_URI`` (+ ``_USER``/``_PASSWORD``): any running Neo4j 5.
- ``PROVGRAPH_TEST_ENGINE=arcadedb`` (or unset): the embedded ArcadeDB, in a temporary directory.
- ``PROVGRAPH_TEST_ENGINE=neo4j``: provgraph's local Neo4j (Maven Central), in a temporary
  directory.
- ``PROVGRAPH_TEST_ENGINE=neo4j-container``: a throwaway Neo4j 5 container (needs Docker).

Any other ``PROVGRAPH_TEST_ENGINE`` value is an error, never a silent fall-back.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from provgraph.config import Settings

TEST_ENGINES = ("arcadedb", "neo4j", "neo4j-container")
ARCADEDB = "arcadedb-embedded"
NEO4J_LOCAL = "neo4j-local"


@dataclass(frozen=True)
class EngineTarget:
    kind: str
    uri: str | None = None
    user: str = "neo4j"
    password: str = ""
    data_dir: Path | None = None

    @property
    def starts_locally(self) -> bool:
        """provgraph starts this engine itself (ArcadeDB or local Neo4j) in a data directory."""
        return self.kind in (ARCADEDB, NEO4J_LOCAL)

    @property
    def settings_engine(self) -> Literal["arcadedb", "neo4j"]:
        """The ``PROVGRAPH_ENGINE`` value that starts this kind of engine."""
        return "neo4j" if self.kind == NEO4J_LOCAL else "arcadedb"

    def local_settings(self, data_dir: Path, *, heap: str = "512m", **values: Any) -> Settings:
        """Settings that start this session's kind of engine (ArcadeDB, or the local Neo4j on a
        Neo4j session) afresh in ``data_dir``; other values pass through."""
        return Settings(
            data_dir=data_dir,
            engine=self.settings_engine,
            embedded_heap=heap,
            neo4j_heap=heap,
            **values,
        )


def requested_engine() -> str:
    name = os.environ.get("PROVGRAPH_TEST_ENGINE", "") or "arcadedb"
    if name not in TEST_ENGINES:
        raise RuntimeError(
            f"PROVGRAPH_TEST_ENGINE={name!r} is not a test engine; choose one of "
            + ", ".join(TEST_ENGINES)
        )
    return name


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
    name = requested_engine()
    if uri:
        yield EngineTarget(
            "neo4j",
            uri,
            os.environ.get("PROVGRAPH_TEST_NEO4J_USER", "neo4j"),
            os.environ.get("PROVGRAPH_TEST_NEO4J_PASSWORD", ""),
        )
    elif name == "neo4j-container":
        with neo4j_container() as target:
            yield target
    elif name == "neo4j":
        yield EngineTarget(NEO4J_LOCAL, data_dir=tmp_dir)
    else:
        yield EngineTarget(ARCADEDB, data_dir=tmp_dir)
