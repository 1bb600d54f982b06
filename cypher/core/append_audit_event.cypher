// Appends one audit event to the tenant's chain and moves the head to it.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $head_id: string, $id: string, $seq: int, $at: int, $key_id: string, $action: string, $operation: string, $query: string, $correlation_id: string, $target_ids: list<string>, $args_digest: string, $changes: string, $prev_hash: string, $hash: string
// returns: seq
MATCH (h:Node {tenant: $tenant, id: $head_id})
USING INDEX SEEK h:Node(tenant, id)
WHERE h:AuditHead
CREATE (e:Node:AuditEvent {
  tenant: $tenant, id: $id, kind: 'audit_event', created_at: $at, seq: $seq, at: $at,
  key_id: $key_id, action: $action, operation: $operation, query: $query,
  correlation_id: $correlation_id, target_ids: $target_ids, args_digest: $args_digest,
  changes: $changes, prev_hash: $prev_hash, hash: $hash
})
SET h.seq = $seq, h.hash = $hash
RETURN e.seq AS seq
