"""API keys: create (shown once), revoke, list, and authenticate a bearer token."""

from __future__ import annotations

from dataclasses import dataclass

from provgraph.core.domain.errors import NotFound, Unauthenticated
from provgraph.core.domain.ids import validate_namespace
from provgraph.core.domain.timefmt import now_ms
from provgraph.keys import rules as keys
from provgraph.keys.records import ApiKeyRecord
from provgraph.keys.repository import KeyRepository


@dataclass(frozen=True)
class Authenticated:
    tenant: str
    read_only: bool
    key_id: str


class KeyService:
    def __init__(self, repository: KeyRepository) -> None:
        self._repo = repository

    async def create(
        self, tenant: str, *, read_only: bool = False, name: str = ""
    ) -> tuple[ApiKeyRecord, str]:
        validate_namespace(tenant, field="tenant")
        key_id, token = keys.new_key()
        _, secret = keys.parse_token(token)
        record = await self._repo.create(
            tenant=tenant,
            key_id=key_id,
            key_hash=keys.hash_secret(secret),
            read_only=read_only,
            name=name,
            now=now_ms(),
        )
        return record, token

    async def revoke(self, key_id: str) -> ApiKeyRecord:
        record = await self._repo.revoke(key_id, now_ms())
        if record is None:
            raise NotFound(f"no API key {key_id!r}")
        return record

    async def list(self, tenant: str | None = None) -> list[ApiKeyRecord]:
        return await self._repo.list(tenant)

    async def authenticate(self, token: str) -> Authenticated:
        key_id, secret = keys.parse_token(token)
        stored = await self._repo.find(key_id)
        # One message for every failure: callers learn nothing about which keys exist.
        if stored is None or not keys.secret_matches(secret, stored.key_hash):
            raise Unauthenticated("invalid API key")
        if stored.revoked_at is not None:
            raise Unauthenticated("invalid API key")
        return Authenticated(stored.tenant, stored.read_only, stored.id)
