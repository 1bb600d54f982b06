// Closes a task with a reason unless it is closed already; says whether it was.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $reason: string, $now: int
// returns: was_closed, id, namespace, title, description, type, status, priority, phase, owner, notes, labels, close_reason, created_at, updated_at, closed_at
MATCH (t:Node {tenant: $tenant, id: $id})
USING INDEX SEEK t:Node(tenant, id)
WHERE t:Task
WITH t, t.status = 'closed' AS was_closed
FOREACH (_ IN CASE WHEN was_closed THEN [] ELSE [1] END |
  SET t.status = 'closed', t.close_reason = $reason, t.closed_at = $now, t.updated_at = $now)
RETURN was_closed, t.id AS id, t.namespace AS namespace, t.title AS title, t.description AS description, t.type AS type, t.status AS status, t.priority AS priority, t.phase AS phase, t.owner AS owner, t.notes AS notes, t.labels AS labels, t.close_reason AS close_reason, t.created_at AS created_at, t.updated_at AS updated_at, t.closed_at AS closed_at
