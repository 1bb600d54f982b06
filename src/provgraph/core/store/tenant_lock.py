"""The tenant's lock node: writers whose check-then-write must not interleave (cycle checks of
run batches and of blocked_by edges alike) touch it in their transaction, so they serialise."""

from __future__ import annotations

from provgraph.core.domain.errors import Conflict
from provgraph.core.store.executor import Executor, Tx
from provgraph.core.store.registry import query

ENSURE = query("core/ensure_tenant_lock")
TAKE = query("core/take_tenant_lock")
ATTEMPTS = 3


async def ensure(executor: Executor, tenant: str, now: int) -> None:
    """Create the lock node unless it exists, also when other writers race to create it."""
    params = {"now": now}
    for _ in range(ATTEMPTS - 1):
        try:
            await executor.write(ENSURE, params, tenant=tenant, audited=False)
            return
        except Conflict:
            # ArcadeDB (not Neo4j) fails a MERGE that lost the race to create the node; the
            # other transaction created it, so the next MERGE matches it.
            pass
    await executor.write(ENSURE, params, tenant=tenant, audited=False)


async def take(tx: Tx, tenant: str) -> bool:
    """Write the lock node in ``tx``; False when it does not exist yet (call ``ensure``)."""
    return bool(await tx.run(TAKE))


async def take_or_make(tx: Tx, now: int) -> None:
    """Write the lock node in ``tx``, creating it there when missing: nothing stays behind
    when ``tx`` rolls back. Concurrent first uses may fail with ``Conflict`` on ArcadeDB
    (the MERGE that lost the race); the caller runs its transaction again."""
    if not await take(tx, tx.tenant or ""):
        await tx.run(ENSURE, {"now": now})
        await tx.run(TAKE)
