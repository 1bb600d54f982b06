// Writes the tenant's audit chain head first (appends of one tenant serialise), returns it.
// params: $tenant: string, $id: string, $now: int
// returns: seq, hash
MATCH (h:Node:AuditHead {tenant: $tenant, id: $id})
SET h.taken_at = $now
RETURN h.seq AS seq, h.hash AS hash
