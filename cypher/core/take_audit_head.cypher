// Writes the tenant's audit chain head first (appends of one tenant serialise), returns it.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $now: int
// returns: seq, hash
MATCH (h:Node {tenant: $tenant, id: $id})
USING INDEX SEEK h:Node(tenant, id)
WHERE h:AuditHead
SET h.taken_at = $now
RETURN h.seq AS seq, h.hash AS hash
