"""A full disk while serving: writes are SERVICE_UNAVAILABLE naming the cause (not
INTERNAL_SERVER_ERROR), /readyz says so, nothing half-written, and writes resume by themselves
once space is back. The engine's data lives on a small tmpfs (mounting needs root)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from provgraph.app import create_app
from provgraph.config import Settings
from provgraph.engine.connection import open_engine
from tests.e2e.test_startup_failures import tmpfs
from tests.engines import EngineTarget
from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import RECORD, sample_run


@pytest.fixture
async def small_disk_app(
    tmp_path: Path, engine_target: EngineTarget
) -> AsyncIterator[tuple[Starlette, Path]]:
    if engine_target.kind != "arcadedb-embedded":
        pytest.skip("needs the engine's data on this machine (the embedded engine)")
    with tmpfs(tmp_path / "disk", "size=96m") as data_dir:
        settings = Settings(
            data_dir=data_dir,
            embedded_heap="512m",
            allowed_hosts=["provgraph.test"],
            min_free_disk_mb=8,
        )
        engine = await open_engine(settings)
        app = create_app(settings, engine=engine)
        try:
            async with app.router.lifespan_context(app):
                yield app, data_dir
        finally:
            await engine.close()


def _fill(path: Path, leave_bytes: int) -> None:
    free = os.statvfs(path).f_bavail * os.statvfs(path).f_frsize
    with path.joinpath("filler").open("wb") as f:
        f.truncate(0)
        chunk = b"\0" * 2**20
        for _ in range(max(0, (free - leave_bytes) // len(chunk))):
            f.write(chunk)


@pytest.mark.slow
async def test_a_full_disk_is_service_unavailable_and_writes_resume(
    small_disk_app: tuple[Starlette, Path],
) -> None:
    app, data_dir = small_disk_app
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://provgraph.test") as c:
        assert "errors" not in await gql(c, RECORD, {"input": sample_run("before")})
        assert (await c.get("/readyz")).status_code == 200
        _fill(data_dir, leave_bytes=2 * 2**20)
        full = await gql(c, RECORD, {"input": sample_run("during")})
        assert error_codes(full) == ["SERVICE_UNAVAILABLE"], full
        assert "disk is full" in full["errors"][0]["message"]
        ready = await c.get("/readyz")
        assert ready.status_code == 503 and ready.json()["cause"] == "disk_full"
        data_dir.joinpath("filler").unlink()
        assert (await c.get("/readyz")).status_code == 200
        again = await gql(c, RECORD, {"input": sample_run("during")})
        assert "errors" not in again, again
        query = 'query { run(id: "during") { nodeCount } before: run(id: "before") { nodeCount } }'
        runs = (await gql(c, query))["data"]
        assert runs["run"]["nodeCount"] == runs["before"]["nodeCount"] == 8
