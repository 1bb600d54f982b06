"""Start-up failures are one line naming the cause (and the log), like a busy port; no traceback.

A read-only data directory and a full disk are real file systems here: tmpfs mounts, which need
root (CAP_SYS_ADMIN); the tests are skipped where mounting is not allowed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from provgraph.engine.embedded import free_port
from tests.engines import EngineTarget


@contextmanager
def tmpfs(path: Path, options: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _serve(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PROVGRAPH_DATA_DIR": str(data_dir), "PROVGRAPH_EMBEDDED_HEAP": "512m"}
    env.pop("PROVGRAPH_NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "provgraph.cli", "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("provgraph:")]
    assert len(errors) == 1, result.stderr[-2000:]
    return errors[0]


@pytest.fixture
def embedded_only(engine_target: EngineTarget) -> None:
    if engine_target.kind != "arcadedb-embedded":
        pytest.skip("exercises the embedded default")


@pytest.mark.slow
@pytest.mark.usefixtures("embedded_only")
def test_a_read_only_data_dir_is_one_line(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "ro,size=1m") as data_dir:
        line = _one_line(_serve(data_dir))
    assert "Read-only file system" in line and str(data_dir) in line
    assert "log: " in line


@pytest.mark.slow
@pytest.mark.usefixtures("embedded_only")
def test_a_full_disk_is_one_line(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "full", "size=1m") as data_dir:
        line = _one_line(_serve(data_dir))
    assert "KB free on" in line and f"log: {data_dir}/logs/arcadedb.log" in line
