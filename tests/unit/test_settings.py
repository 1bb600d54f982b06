from __future__ import annotations

from pathlib import Path

import pytest

from provgraph.config import Settings, default_data_dir


def test_embedded_is_the_default_and_runs_without_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROVGRAPH_NEO4J_URI", raising=False)
    s = Settings()
    assert s.uses_embedded
    assert not s.auth_required


def test_neo4j_from_the_environment_requires_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVGRAPH_NEO4J_URI", "neo4j://db:7687")
    monkeypatch.setenv("PROVGRAPH_NEO4J_PASSWORD", "s3cret-value")
    s = Settings()
    assert not s.uses_embedded
    assert s.auth_required
    assert s.neo4j_password is not None
    assert "s3cret-value" not in repr(s)
    assert s.neo4j_password.get_secret_value() == "s3cret-value"
    monkeypatch.setenv("PROVGRAPH_REQUIRE_API_KEYS", "false")
    assert not Settings().auth_required


def test_data_dir_defaults_per_user_and_is_overridable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PROVGRAPH_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "provgraph"
    monkeypatch.setenv("PROVGRAPH_DATA_DIR", str(tmp_path / "mine"))
    assert Settings().data_dir == tmp_path / "mine"
