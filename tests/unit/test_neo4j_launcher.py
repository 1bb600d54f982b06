"""Start-up failures of the local Neo4j engine are one line naming the cause (no Neo4j started);
the engine setting accepts only the engines there are."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from provgraph.config import Settings
from provgraph.engine import neo4j_local
from provgraph.engine.errors import EngineStartError
from provgraph.engine.neo4j_local import ensure_runtime, neo4j_version


def _path_with(tmp_path: Path, *tools: str) -> str:
    """A PATH holding only ``tools`` (symlinked from the real PATH)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in tools:
        real = shutil.which(tool)
        if real is None:
            pytest.skip(f"{tool} is not installed here")
        (bin_dir / tool).symlink_to(real)
    return str(bin_dir)


def test_the_shipped_pom_pins_a_neo4j_5_26(tmp_path: Path) -> None:
    assert neo4j_version().startswith("5.26.")


def test_no_java_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", _path_with(tmp_path))
    with pytest.raises(EngineStartError) as info:
        ensure_runtime(tmp_path / "cache")
    assert "no Java found" in str(info.value)
    assert "\n" not in str(info.value)


def test_no_maven_with_an_empty_cache_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", _path_with(tmp_path, "java", "javac"))
    with pytest.raises(EngineStartError) as info:
        ensure_runtime(tmp_path / "cache")
    message = str(info.value)
    assert "no Maven (mvn) is on PATH" in message
    assert str(tmp_path / "cache") in message
    assert "\n" not in message


@pytest.mark.slow
def test_maven_central_unreachable_with_an_empty_cache_is_named(tmp_path: Path) -> None:
    """Maven with an empty local repository and Central behind a closed port."""
    if shutil.which("mvn") is None:
        pytest.skip("mvn is not installed here")
    settings = tmp_path / "settings.xml"
    settings.write_text(
        "<settings><mirrors><mirror><id>nowhere</id><mirrorOf>*</mirrorOf>"
        "<url>http://127.0.0.1:9/maven2</url></mirror></mirrors></settings>"
    )
    args = ("-s", str(settings), f"-Dmaven.repo.local={tmp_path / 'm2'}")
    with pytest.raises(EngineStartError) as info:
        ensure_runtime(tmp_path / "cache", maven_args=args)
    message = str(info.value)
    assert "could not be fetched from Maven Central" in message
    assert "\n" not in message
    assert not (tmp_path / "cache" / f"neo4j-{neo4j_version()}" / "lib").exists()


def test_the_maven_error_line_is_the_first_real_one() -> None:
    output = (
        "[ERROR] Plugin org.apache.maven.plugins:maven-dependency-plugin:3.8.1 could not be "
        "resolved: Connection refused\n[ERROR] \n[ERROR] To see the full stack trace ...\n"
    )
    assert neo4j_local._maven_error(output).startswith("Plugin org.apache.maven.plugins")


def test_an_unknown_engine_is_refused_listing_the_engines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PROVGRAPH_ENGINE", "postgres")
    with pytest.raises(ValidationError) as info:
        Settings()
    assert "'arcadedb' or 'neo4j'" in str(info.value)


def test_serve_refuses_an_unknown_engine_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PROVGRAPH_ENGINE": "postgres", "PROVGRAPH_DATA_DIR": str(tmp_path)}
    env.pop("PROVGRAPH_NEO4J_URI", None)
    done = subprocess.run(
        [sys.executable, "-m", "provgraph.cli", "serve", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "provgraph: invalid setting PROVGRAPH_ENGINE: Input should be 'arcadedb' or 'neo4j'"
    )


def test_the_local_neo4j_is_a_local_engine_without_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROVGRAPH_NEO4J_URI", raising=False)
    monkeypatch.setenv("PROVGRAPH_ENGINE", "neo4j")
    s = Settings()
    assert s.uses_local_neo4j and s.uses_embedded and not s.auth_required
    monkeypatch.setenv("PROVGRAPH_NEO4J_URI", "neo4j://db:7687")
    assert not Settings().uses_local_neo4j  # an external Neo4j wins
