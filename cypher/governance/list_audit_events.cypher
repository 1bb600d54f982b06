// One keyset page of the tenant's audit events in chain order, filtered.
// params: $tenant: string, $action: string, $key_id: string, $target_id: string, $correlation_id: string, $since: int, $until: int, $after_seq: int, $limit: int
// returns: seq, id, at, key_id, action, operation, query, correlation_id, target_ids, args_digest, changes, prev_hash, hash
MATCH (e:AuditEvent {tenant: $tenant})
WHERE e.seq > $after_seq
  AND ($action IS NULL OR e.action = $action)
  AND ($key_id IS NULL OR e.key_id = $key_id)
  AND ($target_id IS NULL OR $target_id IN e.target_ids)
  AND ($correlation_id IS NULL OR e.correlation_id = $correlation_id)
  AND ($since IS NULL OR e.at >= $since)
  AND ($until IS NULL OR e.at < $until)
RETURN e.seq AS seq, e.id AS id, e.at AS at, e.key_id AS key_id, e.action AS action, e.operation AS operation, e.query AS query, e.correlation_id AS correlation_id, e.target_ids AS target_ids, e.args_digest AS args_digest, e.changes AS changes, e.prev_hash AS prev_hash, e.hash AS hash
ORDER BY seq
LIMIT $limit
