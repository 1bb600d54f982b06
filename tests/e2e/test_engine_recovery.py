"""The embedded engine dies: requests get SERVICE_UNAVAILABLE, then the server recovers alone."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from provgraph.app import create_app
from provgraph.engine.connection import open_engine
from tests.app_state import key_service
from tests.engines import EngineTarget

VIEWER = {"query": "{ viewer { tenant } }"}


@pytest.mark.slow
async def test_killed_engine_is_unavailable_then_back_with_its_data(
    tmp_path: Path, engine_target: EngineTarget
) -> None:
    if not engine_target.starts_locally:
        pytest.skip("kills the engine process provgraph started")
    settings = engine_target.local_settings(tmp_path, require_api_keys=True)
    engine = await open_engine(settings)
    app = create_app(settings, engine=engine, supervise_engine=True)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://provgraph.test"
            ) as client:
                _, token = await key_service(app).create("recovery")
                auth = {"Authorization": f"Bearer {token}"}
                ok = await client.post("/graphql", json=VIEWER, headers=auth)
                assert ok.json()["data"]["viewer"]["tenant"] == "recovery"

                assert engine.embedded is not None and engine.embedded.process is not None
                os.kill(engine.embedded.process.pid, signal.SIGKILL)
                engine.embedded.process.wait()

                down = await client.post("/graphql", json=VIEWER, headers=auth)
                assert down.status_code == 503
                assert down.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
                assert (await client.get("/readyz")).status_code == 503

                deadline = time.monotonic() + 90
                while (await client.get("/readyz")).status_code != 200:
                    assert time.monotonic() < deadline, "engine did not come back"
                    await asyncio.sleep(0.5)
                back = await client.post("/graphql", json=VIEWER, headers=auth)
                assert back.status_code == 200, back.text
                assert back.json()["data"]["viewer"]["tenant"] == "recovery"
    finally:
        await engine.close()
