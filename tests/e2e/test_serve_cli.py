"""`provgraph serve` as a user runs it: a real process on a real port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.engines import EngineTarget
from tests.served import served


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_serve_prints_graphiql_answers_and_stops_cleanly(
    tmp_path: Path, engine_target: EngineTarget, stop_signal: signal.Signals
) -> None:
    if not engine_target.starts_locally:
        pytest.skip("serves on an engine provgraph starts itself")
    with served(tmp_path, capture_stderr=True, engine=engine_target.settings_engine) as server:
        answer = httpx.post(
            f"{server.url}/graphql",
            json={"query": "{ serverInfo { version engine } }"},
            timeout=10,
        ).json()
        assert answer["data"]["serverInfo"]["engine"] == engine_target.kind
        server.process.send_signal(stop_signal)
        _, err = server.process.communicate(timeout=30)
    assert f"GraphiQL: http://127.0.0.1:{server.port}/graphql" in err
    assert f"engine:   {engine_target.kind}" in err
    assert server.process.returncode == 0
    assert not list(tmp_path.glob("*engine.json")), "engine was not stopped in order"


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
