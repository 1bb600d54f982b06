"""Start-up failures of the embedded engine are one line naming the cause (no JVM needed)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from provgraph.engine import embedded
from provgraph.engine.embedded import EmbeddedArcadeDB, root_password
from provgraph.engine.errors import EngineStartError


def test_busy_bolt_port_is_named(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        engine = EmbeddedArcadeDB(tmp_path, bolt_port=port)
        with pytest.raises(EngineStartError) as info:
            engine.start()
    message = str(info.value)
    assert f"Bolt port 127.0.0.1:{port} is busy" in message
    assert "\n" not in message
    assert engine.process is None


def test_missing_package_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(embedded, "PACKAGE", "arcadedb_embedded_not_installed")
    with pytest.raises(EngineStartError, match="'arcadedb-embedded' package is not installed"):
        EmbeddedArcadeDB(tmp_path).start()


def test_root_password_is_private_and_stable(tmp_path: Path) -> None:
    layout = embedded.EmbeddedLayout(tmp_path)
    first = root_password(layout)
    assert len(first) >= 16
    assert root_password(layout) == first
    assert (layout.password_file.stat().st_mode & 0o777) == 0o600
