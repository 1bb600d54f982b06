"""Who a request comes from. Dev mode (embedded default, no keys) is one tenant."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from provgraph.api.context import Principal
from provgraph.config import Settings


class Authenticator:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def __call__(self, request: HTTPConnection) -> Principal:
        return Principal(tenant=self._settings.dev_tenant)
