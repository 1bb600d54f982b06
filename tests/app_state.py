"""Typed access to what a test app's lifespan built."""

from __future__ import annotations

from starlette.applications import Starlette

from provgraph.core.api.state import AppState
from provgraph.keys.service import KeyService


def app_state(app: Starlette) -> AppState:
    state: AppState = app.state.provgraph
    return state


def key_service(app: Starlette) -> KeyService:
    return app_state(app).services.get(KeyService)
