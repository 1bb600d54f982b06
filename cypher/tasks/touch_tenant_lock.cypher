// Writes the tenant's lock node, so concurrent transactions that do the same serialise.
// params: $tenant: string
// returns: seq
MATCH (l:Node:TenantLock {tenant: $tenant, id: '__lock__'})
SET l.seq = coalesce(l.seq, 0) + 1
RETURN l.seq AS seq
