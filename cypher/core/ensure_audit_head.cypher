// Creates the tenant's audit chain head unless it exists (seq 0, the genesis hash).
// params: $tenant: string, $id: string, $genesis: string, $now: int
// returns: seq
MERGE (h:Node:AuditHead {tenant: $tenant, id: $id})
ON CREATE SET h.kind = 'audit_head', h.created_at = $now, h.seq = 0, h.hash = $genesis
RETURN h.seq AS seq
