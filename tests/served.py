"""A real `provgraph serve` process on a free port, as a user starts it from a shell."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from provgraph.engine.embedded import free_port


@dataclass(frozen=True)
class Served:
    url: str
    port: int
    env: dict[str, str]
    process: subprocess.Popen[str]


def provgraph(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run another `provgraph` command with the same environment as the server."""
    return subprocess.run(
        [sys.executable, "-m", "provgraph.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@contextmanager
def served(data_dir: Path, *, capture_stderr: bool = False, **settings: str) -> Iterator[Served]:
    """Serve on the engine provgraph starts (ArcadeDB, or ``engine="neo4j"``) in ``data_dir``;
    ready when /readyz is 200; SIGTERM after."""
    port = free_port()
    env = {
        **os.environ,
        "PROVGRAPH_DATA_DIR": str(data_dir),
        "PROVGRAPH_EMBEDDED_HEAP": "512m",
        "PROVGRAPH_NEO4J_HEAP": "512m",
        **{f"PROVGRAPH_{k.upper()}": v for k, v in settings.items()},
    }
    env.pop("PROVGRAPH_NEO4J_URI", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "provgraph.cli", "serve", "--port", str(port)],
        env=env,
        stderr=subprocess.PIPE if capture_stderr else subprocess.DEVNULL,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, "provgraph serve exited before it was ready"
            assert time.monotonic() < deadline, "provgraph serve was not ready within 120 s"
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        yield Served(url, port, env, process)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=30)


STORED_RUNS = "{ runs(first: 500) { edges { node { runId nodeCount edgeCount } } } }"


def stored_runs(url: str, key: str | None = None) -> dict[str, tuple[int, int]]:
    """A served tenant's runs (up to 500): run id -> (node count, edge count)."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    body = httpx.post(
        f"{url}/graphql", json={"query": STORED_RUNS}, headers=headers, timeout=30
    ).json()
    assert "errors" not in body, body
    return {
        e["node"]["runId"]: (e["node"]["nodeCount"], e["node"]["edgeCount"])
        for e in body["data"]["runs"]["edges"]
    }
