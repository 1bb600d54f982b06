from __future__ import annotations

import pytest

from provgraph.core.domain.errors import BadUserInput, NotFound, Unauthenticated
from provgraph.core.store.executor import Executor
from provgraph.engine.connection import Engine
from provgraph.keys.repository import KeyRepository
from provgraph.keys.service import KeyService


async def test_a_key_authenticates_as_its_tenant_until_revoked(
    executor: Executor, tenant: str
) -> None:
    keys = KeyService(KeyRepository(executor))
    record, token = await keys.create(tenant, read_only=True, name="ci reader")
    assert token.startswith(f"pgk_{record.id}_")
    found = await keys.authenticate(token)
    assert (found.tenant, found.read_only, found.key_id) == (tenant, True, record.id)
    revoked = await keys.revoke(record.id)
    assert revoked.revoked_at is not None
    with pytest.raises(Unauthenticated):
        await keys.authenticate(token)
    # Revoking again keeps the first time.
    assert (await keys.revoke(record.id)).revoked_at == revoked.revoked_at


async def test_only_a_hash_is_stored(executor: Executor, engine: Engine, tenant: str) -> None:
    record, token = await KeyService(KeyRepository(executor)).create(tenant)
    # The secret is base64url and may itself hold "_": split off the prefix and the key id only.
    prefix, key_id, secret = token.split("_", 2)
    assert (prefix, key_id, len(secret)) == ("pgk", record.id, 43)
    records, _, _ = await engine.driver.execute_query(
        "MATCH (k:ApiKey {id: $id}) RETURN properties(k) AS p",
        id=record.id,
        database_=engine.database,
    )
    stored = records[0]["p"]
    assert secret not in str(stored) and token not in str(stored)
    assert len(stored["key_hash"]) == 64


async def test_wrong_secret_unknown_and_malformed_keys_are_refused(
    executor: Executor, tenant: str
) -> None:
    keys = KeyService(KeyRepository(executor))
    _, token = await keys.create(tenant)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for bad in (forged, f"pgk_{'0' * 16}_{'A' * 43}", "not-a-key", "", "pgk_x' OR 1=1 //"):
        with pytest.raises(Unauthenticated):
            await keys.authenticate(bad)


async def test_listing_per_tenant_and_errors(executor: Executor, tenant: str) -> None:
    keys = KeyService(KeyRepository(executor))
    a, _ = await keys.create(tenant, name="a")
    b, _ = await keys.create(tenant, read_only=True, name="b")
    listed = await keys.list(tenant)
    # Oldest first; keys made in the same millisecond in id order (list_keys.cypher).
    oldest_first = sorted([a, b], key=lambda k: (k.created_at, k.id))
    assert [k.id for k in listed] == [k.id for k in oldest_first]
    assert a.created_at <= b.created_at
    assert all(k.tenant == tenant for k in await keys.list(None) if k.id in {a.id, b.id})
    with pytest.raises(NotFound):
        await keys.revoke("0123456789abcdef")
    with pytest.raises(BadUserInput):
        await keys.create("")
