"""Which engine a test session uses, by environment (no engine is started here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engines import session_engine_target


def test_embedded_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PROVGRAPH_TEST_NEO4J_URI", raising=False)
    monkeypatch.delenv("PROVGRAPH_TEST_ENGINE", raising=False)
    with session_engine_target(tmp_path) as target:
        assert target.kind == "arcadedb-embedded"
        assert target.data_dir == tmp_path


def test_a_given_neo4j_uri_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PROVGRAPH_TEST_NEO4J_URI", "neo4j://db.example:7687")
    monkeypatch.setenv("PROVGRAPH_TEST_NEO4J_PASSWORD", "pw-from-env")
    monkeypatch.setenv("PROVGRAPH_TEST_ENGINE", "neo4j-container")
    with session_engine_target(tmp_path) as target:
        assert (target.kind, target.uri, target.password) == (
            "neo4j",
            "neo4j://db.example:7687",
            "pw-from-env",
        )


def test_neo4j_is_the_local_neo4j(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PROVGRAPH_TEST_NEO4J_URI", raising=False)
    monkeypatch.setenv("PROVGRAPH_TEST_ENGINE", "neo4j")
    with session_engine_target(tmp_path) as target:
        assert (target.kind, target.data_dir, target.uri) == ("neo4j-local", tmp_path, None)
        assert target.local_settings(tmp_path).uses_local_neo4j


@pytest.mark.parametrize("value", ["neo4j5", "arcade", "NEO4J"])
def test_an_unknown_test_engine_is_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str
) -> None:
    monkeypatch.delenv("PROVGRAPH_TEST_NEO4J_URI", raising=False)
    monkeypatch.setenv("PROVGRAPH_TEST_ENGINE", value)
    with (
        pytest.raises(RuntimeError, match="choose one of arcadedb, neo4j, neo4j-container"),
        session_engine_target(tmp_path),
    ):
        pass
