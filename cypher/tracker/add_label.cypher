// Adds a label to a task unless it has it (idempotent) and returns the task.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $label: string, $now: int
// returns: id, namespace, title, description, type, status, priority, phase, owner, notes, labels, close_reason, created_at, updated_at, closed_at
MATCH (t:Node {tenant: $tenant, id: $id})
USING INDEX SEEK t:Node(tenant, id)
WHERE t:Task
WITH t, coalesce(t.labels, []) AS current
SET t.labels = CASE WHEN $label IN current THEN current ELSE current + $label END,
    t.updated_at = CASE WHEN $label IN current THEN t.updated_at ELSE $now END
RETURN t.id AS id, t.namespace AS namespace, t.title AS title, t.description AS description, t.type AS type, t.status AS status, t.priority AS priority, t.phase AS phase, t.owner AS owner, t.notes AS notes, t.labels AS labels, t.close_reason AS close_reason, t.created_at AS created_at, t.updated_at AS updated_at, t.closed_at AS closed_at
