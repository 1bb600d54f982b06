"""`provgraph keys …` next to a running `provgraph serve`, as an operator uses them."""

from __future__ import annotations

import json
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


def _provgraph(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "provgraph.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_keys_created_by_the_cli_work_against_the_running_server(
    tmp_path: Path, engine_target: EngineTarget
) -> None:
    if engine_target.kind != "arcadedb-embedded":
        pytest.skip("exercises the embedded default")
    port = free_port()
    env = {
        **os.environ,
        "PROVGRAPH_DATA_DIR": str(tmp_path),
        "PROVGRAPH_EMBEDDED_HEAP": "512m",
        "PROVGRAPH_REQUIRE_API_KEYS": "true",
    }
    env.pop("PROVGRAPH_NEO4J_URI", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "provgraph.cli", "serve", "--port", str(port)],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None and time.monotonic() < deadline
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        created = _provgraph(env, "keys", "create", "--tenant", "acme", "--format", "json")
        assert created.returncode == 0, created.stderr
        key = json.loads(created.stdout)
        assert key["tenant"] == "acme" and key["readOnly"] is False
        auth = {"Authorization": f"Bearer {key['token']}"}
        query = {"query": "{ viewer { tenant keyId } }"}
        answer = httpx.post(f"{url}/graphql", json=query, headers=auth, timeout=10).json()
        assert answer["data"]["viewer"] == {"tenant": "acme", "keyId": key["keyId"]}

        listed = _provgraph(env, "keys", "list", "--tenant", "acme", "--format", "json")
        assert [k["keyId"] for k in json.loads(listed.stdout)] == [key["keyId"]]
        assert key["token"] not in listed.stdout

        revoked = _provgraph(env, "keys", "revoke", key["keyId"])
        assert revoked.returncode == 0 and "revoked" in revoked.stdout
        after = httpx.post(f"{url}/graphql", json=query, headers=auth, timeout=10)
        assert after.status_code == 401

        missing = _provgraph(env, "keys", "revoke", "0123456789abcdef")
        assert missing.returncode == 2
        assert missing.stderr.strip() == "provgraph: no API key '0123456789abcdef'"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
