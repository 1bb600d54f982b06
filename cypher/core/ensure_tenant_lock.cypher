// Creates the tenant's lock node once (serialises check-then-write batches per tenant).
// params: $tenant: string, $now: int
// returns: id
MERGE (l:Node:TenantLock {tenant: $tenant, id: '__lock__'})
ON CREATE SET l.kind = 'tenant_lock', l.created_at = $now, l.seq = 0
RETURN l.id AS id
