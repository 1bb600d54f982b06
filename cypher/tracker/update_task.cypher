// Sets the given task properties (a null value removes an optional one) and returns the task;
// a closed task keeps its first close time, a reopened one loses its close time and reason.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $changes: map, $now: int
// returns: id, namespace, title, description, type, status, priority, phase, owner, notes, labels, close_reason, created_at, updated_at, closed_at
MATCH (t:Node {tenant: $tenant, id: $id})
USING INDEX SEEK t:Node(tenant, id)
WHERE t:Task
SET t += $changes, t.updated_at = $now
SET t.closed_at = CASE WHEN t.status = 'closed' THEN coalesce(t.closed_at, $now) ELSE null END,
    t.close_reason = CASE WHEN t.status = 'closed' THEN t.close_reason ELSE null END
RETURN t.id AS id, t.namespace AS namespace, t.title AS title, t.description AS description, t.type AS type, t.status AS status, t.priority AS priority, t.phase AS phase, t.owner AS owner, t.notes AS notes, t.labels AS labels, t.close_reason AS close_reason, t.created_at AS created_at, t.updated_at AS updated_at, t.closed_at AS closed_at
