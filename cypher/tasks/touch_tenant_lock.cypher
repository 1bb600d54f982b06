// Writes the tenant's lock node, so concurrent transactions that do the same serialise.
// params: $tenant: string
// returns: version
MATCH (l:Node:TenantLock {tenant: $tenant, id: '__lock__'})
SET l.version = coalesce(l.version, 0) + 1
RETURN l.version AS version
