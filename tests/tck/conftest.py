"""TCK fixtures: the real app over a recording executor, no engine.

Nothing here asks for the root conftest's ``engine``, ``executor``, ``app`` or ``client``, so a
TCK run starts no engine. The app (its schema is the slow part) is built once per session; each
test enters the app's own lifespan, which builds fresh services over a fresh
``RecordingExecutor`` (per-service caches such as "tenant lock exists" start empty).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

import provgraph.app as app_module
from provgraph.app import create_app
from provgraph.config import Settings
from tests.tck.harness import MARKER, Tck, tck_settings
from tests.tck.recording import RecordingExecutor, fake_engine


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}(*fields): the root GraphQL fields a TCK test pins"
    )


@pytest.fixture(scope="session")
def tck_settings_() -> Settings:
    return tck_settings()


@pytest.fixture(scope="session")
def tck_app(tck_settings_: Settings) -> Starlette:
    return create_app(tck_settings_, engine=fake_engine())


@pytest.fixture
async def tck(tck_app: Starlette, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Tck]:
    made: list[RecordingExecutor] = []

    def recording_executor(*args: Any, **kwargs: Any) -> RecordingExecutor:
        executor = RecordingExecutor(*args, **kwargs)
        made.append(executor)
        return executor

    # The lifespan builds its executor from the engine's driver; this one records instead.
    monkeypatch.setattr(app_module, "Executor", recording_executor)
    async with tck_app.router.lifespan_context(tck_app):
        assert len(made) == 1, "the app's lifespan no longer builds its Executor in app.py"
        executor = made[0]
        startup = list(executor.recording.calls)
        executor.recording.calls.clear()
        transport = httpx.ASGITransport(app=tck_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tck.test") as client:
            harness = Tck(client, executor)
            harness.startup = startup
            yield harness
        problems = executor.recording.problems
        assert not problems, "\n".join(problems)
        assert not harness.unscoped(), f"queries not scoped to the tenant: {harness.unscoped()}"
