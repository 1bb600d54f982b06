"""API key repository."""

from __future__ import annotations

from provgraph.core.store.executor import Executor, Row
from provgraph.core.store.registry import query
from provgraph.keys.records import ApiKeyRecord, StoredKey

CREATE_KEY = query("keys/create_key")
FIND_KEY = query("keys/find_key")
REVOKE_KEY = query("keys/revoke_key")
LIST_KEYS = query("keys/list_keys")


class KeyRepository:
    def __init__(self, executor: Executor) -> None:
        self._ex = executor

    async def create(
        self, *, tenant: str, key_id: str, key_hash: str, read_only: bool, name: str, now: int
    ) -> ApiKeyRecord:
        rows = await self._ex.write(
            CREATE_KEY,
            {
                "id": key_id,
                "key_hash": key_hash,
                "read_only": read_only,
                "name": name,
                "now": now,
            },
            tenant=tenant,
        )
        return ApiKeyRecord.from_row(rows[0])

    async def find(self, key_id: str) -> StoredKey | None:
        rows = await self._ex.read(FIND_KEY, {"id": key_id})
        return StoredKey.from_row(rows[0]) if rows else None

    async def revoke(self, key_id: str, now: int) -> ApiKeyRecord | None:
        rows = await self._ex.write(REVOKE_KEY, {"id": key_id, "now": now})
        return ApiKeyRecord.from_row(rows[0]) if rows else None

    async def list(self, tenant: str | None) -> list[ApiKeyRecord]:
        rows: list[Row] = await self._ex.read(LIST_KEYS, tenant=tenant or "")
        return [ApiKeyRecord.from_row(r) for r in rows]
