// Takes the tenant's write lock inside the current transaction; no row when it is missing.
// params: $tenant: string
// returns: seq
MATCH (l:Node:TenantLock {tenant: $tenant, id: '__lock__'})
SET l.seq = coalesce(l.seq, 0) + 1
RETURN l.seq AS seq
