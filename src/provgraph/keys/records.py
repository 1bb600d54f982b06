"""The keys area's records (frozen dataclasses, as every area's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ApiKeyRecord:
    id: str
    tenant: str
    name: str
    read_only: bool
    created_at: int
    revoked_at: int | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ApiKeyRecord:
        return cls(
            id=row["id"],
            tenant=row["tenant"],
            name=row["name"],
            read_only=bool(row["read_only"]),
            created_at=row["created_at"],
            revoked_at=row.get("revoked_at"),
        )


@dataclass(frozen=True, slots=True)
class StoredKey:
    """A key as stored, with the hash of its secret (never leaves the keys area)."""

    id: str
    tenant: str
    key_hash: str
    read_only: bool
    revoked_at: int | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> StoredKey:
        return cls(
            id=row["id"],
            tenant=row["tenant"],
            key_hash=row["key_hash"],
            read_only=bool(row["read_only"]),
            revoked_at=row.get("revoked_at"),
        )
