"""Who a request comes from.

With keys required (the default with Neo4j), every request needs ``Authorization: Bearer <key>``.
In dev mode (the embedded default, announced at start) a request without a key is the dev tenant;
a request with a key is still checked and scoped to that key's tenant.
"""

from __future__ import annotations

from typing import Protocol

from starlette.requests import HTTPConnection

from provgraph.config import Settings
from provgraph.core.api.context import Principal
from provgraph.core.domain.errors import Forbidden, Unauthenticated

TENANT_HEADER = "x-provgraph-tenant"


class KeyIdentity(Protocol):
    @property
    def tenant(self) -> str: ...
    @property
    def read_only(self) -> bool: ...
    @property
    def key_id(self) -> str: ...


class KeyChecker(Protocol):
    """Checks a bearer token (the keys area's service); raises Unauthenticated if invalid."""

    async def authenticate(self, token: str) -> KeyIdentity: ...


class Authenticator:
    def __init__(self, settings: Settings, keys: KeyChecker) -> None:
        self._settings = settings
        self._keys = keys

    async def __call__(self, request: HTTPConnection) -> Principal:
        return await self.check(
            request.headers.get("authorization"), request.headers.get(TENANT_HEADER)
        )

    async def check(self, header: str | None, asked: str | None) -> Principal:
        """An ``Authorization`` value (or None) and an asked tenant (or None) to a principal."""
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise Unauthenticated("send the API key as 'Authorization: Bearer <key>'")
            found = await self._keys.authenticate(token.strip())
            principal = Principal(found.tenant, found.read_only, found.key_id)
        elif self._settings.auth_required:
            raise Unauthenticated("an API key is required: send 'Authorization: Bearer <key>'")
        else:
            principal = Principal(self._settings.dev_tenant)
        if asked is not None and asked != principal.tenant:
            raise Forbidden(f"this key belongs to another tenant than {asked[:80]!r}")
        return principal
