"""`provgraph serve` as a user runs it: a real process on a real port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from provgraph.engine.embedded import free_port
from tests.engines import EngineTarget


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_serve_prints_graphiql_answers_and_stops_cleanly(
    tmp_path: Path, engine_target: EngineTarget, stop_signal: signal.Signals
) -> None:
    if engine_target.kind != "arcadedb-embedded":
        pytest.skip("exercises the embedded default")
    port = free_port()
    env = {**os.environ, "PROVGRAPH_DATA_DIR": str(tmp_path), "PROVGRAPH_EMBEDDED_HEAP": "512m"}
    env.pop("PROVGRAPH_NEO4J_URI", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "provgraph.cli", "serve", "--port", str(port)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert proc.poll() is None, (
                f"serve exited early: {proc.stderr.read() if proc.stderr else ''}"
            )
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        answer = httpx.post(
            f"{url}/graphql", json={"query": "{ serverInfo { version engine } }"}, timeout=10
        ).json()
        assert answer["data"]["serverInfo"]["engine"] == "arcadedb-embedded"
    finally:
        proc.send_signal(stop_signal)
        _, err = proc.communicate(timeout=30)
    assert f"GraphiQL: http://127.0.0.1:{port}/graphql" in err
    assert "engine:   arcadedb-embedded" in err
    assert proc.returncode == 0
    assert not list(tmp_path.glob("engine.json")), "engine was not stopped in order"


def test_busy_port_is_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        env = {**os.environ, "PROVGRAPH_DATA_DIR": str(tmp_path)}
        env.pop("PROVGRAPH_NEO4J_URI", None)
        done = subprocess.run(
            [sys.executable, "-m", "provgraph.cli", "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"provgraph: cannot serve: port {port} is busy (choose another with --port)"
    )
