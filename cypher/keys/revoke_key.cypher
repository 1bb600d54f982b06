// Revoke a key (kept for audit, never deleted); revoking twice keeps the first time.
// params: $id: string, $now: int
// returns: id, tenant, name, read_only, created_at, revoked_at
MATCH (k:ApiKey {id: $id})
SET k.revoked_at = coalesce(k.revoked_at, $now)
RETURN k.id AS id, k.tenant AS tenant, k.name AS name, k.read_only AS read_only,
       k.created_at AS created_at, k.revoked_at AS revoked_at
