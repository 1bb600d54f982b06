"""No local user may read the engine's password: not on any command line, not in a file others
can read; the engine's own HTTP API listens on loopback only and asks for that password."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import httpx
import pytest

from provgraph.engine.connection import Engine
from provgraph.engine.embedded import EmbeddedArcadeDB


def _embedded(engine: Engine) -> Engine:
    # The local Neo4j's equivalents are in test_neo4j_engine.py (README: tests per engine).
    if not isinstance(engine.embedded, EmbeddedArcadeDB):
        pytest.skip("ArcadeDB's launcher; the local Neo4j's is tested in test_neo4j_engine.py")
    return engine


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_no_secret_is_on_any_command_line(engine: Engine) -> None:
    embedded = _embedded(engine).embedded
    assert embedded is not None
    password = embedded.layout.password_file.read_text().strip()
    assert len(password) >= 24
    seen = 0
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes()
        except OSError:
            continue  # the process ended meanwhile
        seen += 1
        assert password.encode() not in args, f"the root password is in {cmdline}"
    assert seen > 1
    own = Path(f"/proc/{embedded.process.pid}/cmdline").read_bytes()  # type: ignore[union-attr]
    assert b"rootPasswordPath=" in own and b"rootPassword=" not in own


def test_engine_files_are_private(engine: Engine) -> None:
    embedded = _embedded(engine).embedded
    assert embedded is not None
    layout = embedded.layout
    for directory in (layout.data_dir, layout.root, layout.databases, layout.log_file.parent):
        assert _mode(directory) == 0o700, directory
    for file in (layout.state_file, layout.password_file, layout.log_file):
        assert _mode(file) == 0o600, file
    state = json.loads(layout.state_file.read_text())
    assert "password" not in json.dumps(state).lower()


def test_the_engines_http_api_is_loopback_only_and_asks_for_the_password(engine: Engine) -> None:
    embedded = _embedded(engine).embedded
    assert isinstance(embedded, EmbeddedArcadeDB)
    port = f":{embedded.http_port:04X}"
    listeners = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].endswith(port) and fields[3] == "0A":  # 0A: LISTEN
                listeners.append(fields[1].split(":")[0])
    loopback = {"0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000"}
    assert listeners and set(listeners) <= loopback, listeners
    url = f"http://127.0.0.1:{embedded.http_port}/api/v1/server"
    assert httpx.get(url, timeout=10).status_code == 401
    assert httpx.get(url, auth=("root", "not-the-password"), timeout=10).status_code in (401, 403)
