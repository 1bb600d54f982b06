// Takes the tenant's write lock inside the current transaction; no row when it is missing.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string
// returns: seq
MATCH (l:Node {tenant: $tenant, id: '__lock__'})
USING INDEX SEEK l:Node(tenant, id)
WHERE l:TenantLock
SET l.seq = coalesce(l.seq, 0) + 1
RETURN l.seq AS seq
